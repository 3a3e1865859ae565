package dev.shopsearch.core.bundle;

import java.util.Arrays;

/**
 * Image-side preprocessing of a bundle (CLIP defaults: 224 px, bicubic shortest-side resize, centre
 * crop, CLIP mean/std).
 *
 * @param size output height and width in pixels
 * @param resize resampling filter for the shortest-side resize
 * @param centerCrop whether to centre-crop to {@code size x size} after the resize (otherwise the
 *     image is resized to exactly {@code size x size})
 * @param mean per-channel RGB mean in [0,1] units
 * @param std per-channel RGB standard deviation in [0,1] units
 */
public record ImageSpec(int size, Resample resize, boolean centerCrop, float[] mean, float[] std) {

  /** CLIP's normalisation mean (RGB). */
  public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};

  /** CLIP's normalisation standard deviation (RGB). */
  public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

  /** Resampling filters, named as PIL names them. */
  public enum Resample {
    BICUBIC,
    BILINEAR
  }

  public ImageSpec {
    if (size < 8 || size > 2048) {
      throw new IllegalArgumentException("image size must be in [8, 2048]; size=" + size);
    }
    resize = resize == null ? Resample.BICUBIC : resize;
    mean = mean == null ? CLIP_MEAN.clone() : mean.clone();
    std = std == null ? CLIP_STD.clone() : std.clone();
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException(
          "image mean/std must have 3 values; mean="
              + Arrays.toString(mean)
              + " std="
              + Arrays.toString(std));
    }
  }

  /** CLIP's default preprocessing at the given size. */
  public static ImageSpec clip(int size) {
    return new ImageSpec(size, Resample.BICUBIC, true, CLIP_MEAN, CLIP_STD);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }
}
