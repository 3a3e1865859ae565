package dev.shopsearch.service.image;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.DecodeLimits;
import dev.shopsearch.core.image.ImageDecodeException;
import dev.shopsearch.core.image.ImageDecoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.search.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Embeds query images and computes image–text consistency. Uploads are decoded with the core {@link
 * ImageDecoder} (magic-number sniffing, size and pixel limits, truncation checks), so a non-image
 * is refused whatever its declared content type. Encoder calls share the {@link QueryEmbedder}'s
 * concurrency bound and respect the request deadline. Thread-safe.
 */
@Component
public class ImageQueryService {
  /** Largest decoded image accepted, in pixels (width × height). */
  public static final long MAX_PIXELS = 40L * 1000 * 1000;

  private final ModelHolder models;
  private final QueryEmbedder embedder;
  private final DecodeLimits limits;
  private volatile Preprocessors preprocessors;

  private record Preprocessors(LoadedModel model, ImagePreprocessor preprocessor) {}

  public ImageQueryService(
      ModelHolder models, QueryEmbedder embedder, ServiceProperties properties) {
    this.models = models;
    this.embedder = embedder;
    this.limits = new DecodeLimits(properties.upload().maxBytes(), MAX_PIXELS);
  }

  /**
   * The unit-norm embedding of an encoded image.
   *
   * @throws InvalidRequestException if the bytes are empty, not an image, truncated or corrupt
   * @throws UnsupportedImageException for an image format the decoder does not read
   * @throws ImageTooLargeException if the image exceeds the byte or pixel limit
   */
  public float[] embedImage(byte[] bytes, Deadline deadline) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequestException("image", "image must not be empty");
    }
    LoadedModel model = models.current();
    float[] pixels;
    try {
      pixels = preprocessor(model).preprocess(bytes);
    } catch (ImageDecodeException e) {
      throw switch (e.reason()) {
        case TOO_LARGE -> new ImageTooLargeException(e.getMessage());
        case UNSUPPORTED -> new UnsupportedImageException(e.getMessage());
        default -> new InvalidRequestException("image", "not a usable image: " + e.getMessage());
      };
    }
    return embedder.withEncoderSlot(deadline, () -> model.image().encode(List.of(pixels)).get(0));
  }

  /** A consistency score and the model that computed it. */
  public record Consistency(double cosine, String model) {}

  /**
   * Cosine similarity of an image and a text under the served model.
   *
   * @return the cosine in [-1, 1]
   */
  public Consistency consistency(byte[] image, String text, Deadline deadline) {
    float[] iv = embedImage(image, deadline);
    float[] tv = embedder.embed(text, deadline).vector();
    double dot = 0;
    for (int i = 0; i < iv.length; i++) {
      dot += iv[i] * tv[i];
    }
    LoadedModel model = models.current();
    return new Consistency(
        Math.max(-1, Math.min(1, dot)), model.manifest().name() + " " + model.manifest().version());
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
