package dev.shopsearch.service.image;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.DecodeLimits;
import dev.shopsearch.core.image.ImageDecodeException;
import dev.shopsearch.core.image.ImageDecoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * Decodes a query image with the core {@link ImageDecoder} (magic-number sniffing, byte and pixel
 * limits, truncation checks, so a non-image is refused whatever its declared content type) and
 * preprocesses it as the model's bundle says. Meant to run on an {@link ImageWorkers} thread: it
 * stops as soon as {@code abandoned} turns true, also in the middle of decoding. Thread-safe.
 */
@Component
public class QueryImagePreprocessor {
  private final DecodeLimits limits;
  private volatile Preprocessors preprocessors;

  private record Preprocessors(LoadedModel model, ImagePreprocessor preprocessor) {}

  public QueryImagePreprocessor(UploadProperties upload) {
    this.limits = new DecodeLimits(upload.maxBytes(), upload.maxPixels());
  }

  /**
   * The image tower input ({@code float[3 * size * size]}) of an encoded image.
   *
   * @throws InvalidRequestException if the bytes are not an image, truncated, corrupt, or of a
   *     shape the preprocessing cannot resize (400)
   * @throws UnsupportedImageException for an image format the decoder does not read (415)
   * @throws ImageTooLargeException above the byte or pixel limit (413)
   * @throws CancellationException when {@code abandoned} turned true first
   */
  public float[] preprocess(LoadedModel model, byte[] bytes, BooleanSupplier abandoned) {
    ImagePreprocessor preprocessor = preprocessor(model);
    BufferedImage image;
    try {
      image = preprocessor.decoder().decode(bytes, abandoned);
    } catch (ImageDecodeException e) {
      throw ImageRefusals.of(e);
    }
    if (abandoned.getAsBoolean()) {
      throw new CancellationException("decoded, but no longer wanted: preprocessing skipped");
    }
    try {
      return preprocessor.preprocess(image);
    } catch (IllegalArgumentException e) {
      // A shape the header did not show (a GIF frame unlike its logical screen): the client's
      // image.
      throw new InvalidRequestException("image", "not a usable image: " + e.getMessage());
    }
  }

  private ImagePreprocessor preprocessor(LoadedModel model) {
    Preprocessors p = preprocessors;
    if (p == null || p.model() != model) {
      ImageSpec spec = model.manifest().imageSpec();
      if (spec == null) {
        throw new IllegalStateException(
            String.format(Locale.ROOT, "model %s has no image spec", model.manifest().name()));
      }
      p = new Preprocessors(model, new ImagePreprocessor(spec, new ImageDecoder(limits)));
      preprocessors = p;
    }
    return p.preprocessor();
  }
}
