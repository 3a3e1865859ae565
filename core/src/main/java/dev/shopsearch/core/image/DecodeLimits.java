package dev.shopsearch.core.image;

import java.util.Locale;

/**
 * Limits an {@link ImageDecoder} enforces before it decodes anything.
 *
 * @param maxBytes largest encoded input accepted, in bytes
 * @param maxPixels largest {@code width * height} accepted, read from the header before decoding (a
 *     decoded {@code TYPE_INT_RGB} image takes 4 bytes per pixel, the decoder's own raster up to 8
 *     more)
 */
public record DecodeLimits(long maxBytes, long maxPixels) {

  /** Default: 50 MB of encoded input, 40 megapixels. */
  public static final DecodeLimits DEFAULT = new DecodeLimits(50L * 1000 * 1000, 40L * 1000 * 1000);

  /** Hard ceiling for {@link #maxBytes()}: inputs are held in one {@code byte[]}. */
  public static final long MAX_BYTES_CEILING = Integer.MAX_VALUE - 16;

  /** Hard ceiling for {@link #maxPixels()}: the decoded image lives in one {@code int[]}. */
  public static final long MAX_PIXELS_CEILING = Integer.MAX_VALUE - 16;

  public DecodeLimits {
    if (maxBytes < 1 || maxBytes > MAX_BYTES_CEILING) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "maxBytes must be in [1, %d]; maxBytes=%d",
              MAX_BYTES_CEILING,
              maxBytes));
    }
    if (maxPixels < 1 || maxPixels > MAX_PIXELS_CEILING) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "maxPixels must be in [1, %d]; maxPixels=%d",
              MAX_PIXELS_CEILING,
              maxPixels));
    }
  }
}
