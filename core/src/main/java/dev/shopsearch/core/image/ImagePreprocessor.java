package dev.shopsearch.core.image;

import dev.shopsearch.core.bundle.ImageSpec;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns an image into the image tower's input as Hugging Face's {@code CLIPImageProcessor} does, in
 * pure Java (no AWT scaling):
 *
 * <ol>
 *   <li>resize so the shortest side is {@code size} and the long side {@code int(size * long /
 *       short)} (HF {@code get_resize_output_image_size}), with PIL's resampler ({@link
 *       PilResampler}: antialiased separable bicubic, a = -0.5, 8-bit rounding between passes);
 *       without {@link ImageSpec#centerCrop()} the image is resized to {@code size x size};
 *   <li>centre crop to {@code size x size}, {@code top = (h - size) / 2}, {@code left = (w - size)
 *       / 2} (floor), as HF {@code center_crop};
 *   <li>{@code (v / 255 - mean[c]) / std[c]} in float32, written CHW: {@code out[c * size * size +
 *       y * size + x]}.
 * </ol>
 *
 * <p>Output: {@code float[3 * size * size]}. Thread-safe and stateless apart from its
 * configuration.
 */
public final class ImagePreprocessor {
  private final ImageSpec spec;
  private final ImageDecoder decoder;
  private final PilResampler.Filter filter;
  private final float[][] lut = new float[3][256];

  /** A preprocessor with a default {@link ImageDecoder}. */
  public ImagePreprocessor(ImageSpec spec) {
    this(spec, new ImageDecoder());
  }

  public ImagePreprocessor(ImageSpec spec, ImageDecoder decoder) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
    this.filter =
        spec.resize() == ImageSpec.Resample.BILINEAR
            ? PilResampler.Filter.BILINEAR
            : PilResampler.Filter.BICUBIC;
    float[] mean = spec.mean();
    float[] std = spec.std();
    for (int c = 0; c < 3; c++) {
      if (!(std[c] > 0f) || !Float.isFinite(mean[c])) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "image std must be > 0 and mean finite; channel %d mean=%s std=%s",
                c,
                mean[c],
                std[c]));
      }
      for (int v = 0; v < 256; v++) {
        // As HF: rescale in float64 then cast to float32, normalise in float32.
        float scaled = (float) (v * (1.0 / 255.0));
        lut[c][v] = (scaled - mean[c]) / std[c];
      }
    }
  }

  /** The preprocessing this instance applies. */
  public ImageSpec spec() {
    return spec;
  }

  /** The decoder used by the {@code byte[]} overloads. */
  public ImageDecoder decoder() {
    return decoder;
  }

  /** {@code 3 * size * size}: the length of one output tensor. */
  public int tensorLength() {
    return 3 * spec.size() * spec.size();
  }

  /**
   * Decodes and preprocesses one encoded image.
   *
   * @throws ImageDecodeException if the bytes cannot be decoded
   */
  public float[] preprocess(byte[] encoded) {
    return preprocess(decoder.decode(encoded));
  }

  /**
   * Decodes and preprocesses one encoded image into {@code dst[offset, offset + tensorLength())}
   * (batches without copies).
   */
  public void preprocess(byte[] encoded, float[] dst, int offset) {
    checkDestination(dst, offset);
    preprocess(decoder.decode(encoded), dst, offset);
  }

  /** Preprocesses a decoded image (any type; converted to opaque sRGB first). */
  public float[] preprocess(BufferedImage image) {
    float[] out = new float[tensorLength()];
    preprocess(image, out, 0);
    return out;
  }

  /** Preprocesses a decoded image into {@code dst[offset, offset + tensorLength())}. */
  public void preprocess(BufferedImage image, float[] dst, int offset) {
    checkDestination(dst, offset);
    int[] rgb = resizeAndCrop(image);
    int plane = spec.size() * spec.size();
    float[] r = lut[0];
    float[] g = lut[1];
    float[] b = lut[2];
    for (int i = 0; i < plane; i++) {
      int p = rgb[i];
      dst[offset + i] = r[p >> 16 & 0xFF];
      dst[offset + plane + i] = g[p >> 8 & 0xFF];
      dst[offset + 2 * plane + i] = b[p & 0xFF];
    }
  }

  /** The resized and cropped 8-bit pixels, packed {@code 0xRRGGBB}, row-major {@code size^2}. */
  int[] resizeAndCrop(BufferedImage image) {
    BufferedImage rgb = RgbConverter.toIntRgb(Objects.requireNonNull(image, "image"));
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int[] pixels = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    int size = spec.size();
    if (!spec.centerCrop()) {
      return PilResampler.resize(pixels, w, h, size, size, 0, 0, size, size, filter);
    }
    long[] target = resizedSize(w, h, size);
    if (Math.max(target[0], target[1]) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "aspect ratio too extreme: %dx%d would resize to %dx%d, above %d pixels per side",
              w,
              h,
              target[0],
              target[1],
              Integer.MAX_VALUE));
    }
    int left = (int) ((target[0] - size) / 2);
    int top = (int) ((target[1] - size) / 2);
    return PilResampler.resize(pixels, w, h, target[0], target[1], left, top, size, size, filter);
  }

  /**
   * HF {@code get_resize_output_image_size} with {@code shortest_edge = size}: the short side
   * becomes {@code size}, the long side {@code int(size * long / short)}.
   *
   * @return {@code {width, height}}
   */
  public static long[] resizedSize(int width, int height, int size) {
    if (width < 1 || height < 1 || size < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "width, height and size must be >= 1; width=%d height=%d size=%d",
              width,
              height,
              size));
    }
    int shortSide = Math.min(width, height);
    int longSide = Math.max(width, height);
    long newLong = (long) ((double) ((long) size * longSide) / shortSide);
    return width <= height ? new long[] {size, newLong} : new long[] {newLong, size};
  }

  private void checkDestination(float[] dst, int offset) {
    Objects.requireNonNull(dst, "dst");
    if (offset < 0 || offset > dst.length - tensorLength()) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "destination too small: offset %d + tensor length %d exceeds dst.length %d",
              offset,
              tensorLength(),
              dst.length));
    }
  }
}
