package dev.shopsearch.service.image;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.ImageDecodeException;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.image.ImageProbe;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.Locale;

/**
 * What a query image may cost, checked from its header ({@link ImageProbe}) on the request thread,
 * before any decoding work is queued: at most {@code maxPixels} pixels, and a shape the model's
 * preprocessing can resize (with a centre crop, the shortest side scaled to the input size must
 * leave the longest side within {@value Integer#MAX_VALUE} pixels: a 1×39,999,999 image cannot be
 * resized for a 224-pixel model).
 *
 * @param maxPixels largest {@code width × height} accepted ({@code shopsearch.upload.max-pixels})
 */
record PixelBudget(long maxPixels) {

  PixelBudget {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be >= 1; maxPixels=" + maxPixels);
    }
  }

  /**
   * Checks an encoded image against the budget for a model's preprocessing.
   *
   * @return the header, or null when the probe has no reader for the format (the decoder then
   *     decides)
   * @throws ImageTooLargeException above {@code maxPixels} (413)
   * @throws InvalidRequestException for a shape the preprocessing cannot resize, or a header that
   *     is not an image's (400)
   * @throws UnsupportedImageException for a format the decoder does not read (415)
   */
  ImageProbe.Header check(byte[] bytes, ImageSpec spec) {
    ImageProbe.Header header;
    try {
      header = ImageProbe.probe(bytes);
    } catch (ImageDecodeException e) {
      throw ImageRefusals.of(e);
    }
    if (header == null) {
      return null;
    }
    if (header.pixels() > maxPixels) {
      throw new ImageTooLargeException(
          String.format(
              Locale.ROOT,
              "image is too large: %dx%d = %d pixels, above the limit of %d pixels"
                  + " (shopsearch.upload.max-pixels)",
              header.width(),
              header.height(),
              header.pixels(),
              maxPixels));
    }
    if (spec.centerCrop()) {
      long[] resized = ImagePreprocessor.resizedSize(header.width(), header.height(), spec.size());
      if (Math.max(resized[0], resized[1]) > Integer.MAX_VALUE) {
        throw new InvalidRequestException(
            "image",
            String.format(
                Locale.ROOT,
                "image aspect ratio is too extreme: %dx%d would be resized to %dx%d for the"
                    + " model's %d-pixel input, above the limit of %d pixels per side",
                header.width(),
                header.height(),
                resized[0],
                resized[1],
                spec.size(),
                Integer.MAX_VALUE));
      }
    }
    return header;
  }
}
