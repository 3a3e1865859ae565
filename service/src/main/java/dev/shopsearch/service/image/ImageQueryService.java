package dev.shopsearch.service.image;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.fetch.FetchException;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.FetchedImage;
import dev.shopsearch.core.fetch.ImageSource;
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
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Embeds query images and computes image–text consistency. Uploads are decoded with the core {@link
 * ImageDecoder} (magic-number sniffing, size and pixel limits, truncation checks), so a non-image
 * is refused whatever its declared content type. Encoder calls share the {@link QueryEmbedder}'s
 * concurrency bound and respect the request deadline. Thread-safe.
 */
@Component
public class ImageQueryService implements AutoCloseable {
  /** Largest decoded image accepted, in pixels (width × height). */
  public static final long MAX_PIXELS = 40L * 1000 * 1000;

  private final ModelHolder models;
  private final QueryEmbedder embedder;
  private final DecodeLimits limits;
  private final ServiceProperties.Upload upload;
  private final ImageSource urls;
  private volatile Preprocessors preprocessors;

  private record Preprocessors(LoadedModel model, ImagePreprocessor preprocessor) {}

  public ImageQueryService(
      ModelHolder models, QueryEmbedder embedder, ServiceProperties properties) {
    this.models = models;
    this.embedder = embedder;
    this.limits = new DecodeLimits(properties.upload().maxBytes(), MAX_PIXELS);
    this.upload = properties.upload();
    this.urls =
        upload.allowUrlFetch()
            ? ImageSource.remoteOnly(
                new FetchOptions(
                    upload.urlTimeout(),
                    upload.urlTimeout(),
                    1,
                    Duration.ZERO,
                    upload.maxBytes(),
                    3,
                    Set.copyOf(upload.allowedHosts()),
                    upload.allowPrivateAddresses(),
                    "shopsearch-service"))
            : null;
  }

  /**
   * Fetches an http(s) image URL under the core {@link ImageSource} SSRF rules (no private
   * addresses unless configured, allowed hosts, size cap, redirects re-checked) and embeds it.
   *
   * @throws InvalidRequestException for a bad, forbidden or missing URL, or when URL fetching is
   *     off
   * @throws ImageTooLargeException over the byte limit
   * @throws UpstreamImageException when the remote server fails or times out
   */
  public float[] embedUrl(String url, Deadline deadline) {
    if (urls == null) {
      throw new InvalidRequestException(
          "url", "search by image URL is disabled (shopsearch.upload.allow-url-fetch=false)");
    }
    if (url == null || url.isBlank() || !ImageSource.isUrl(url)) {
      throw new InvalidRequestException("url", "url must be an http(s) URL; got '" + url + "'");
    }
    FetchedImage image;
    try {
      image = urls.fetch(url);
    } catch (FetchException e) {
      throw switch (e.reason()) {
        case TOO_LARGE -> new ImageTooLargeException(e.getMessage());
        case HTTP_STATUS, TIMEOUT, TOO_MANY_REDIRECTS, IO ->
            new UpstreamImageException(e.getMessage());
        default -> new InvalidRequestException("url", e.getMessage());
      };
    }
    return embedImage(image.bytes(), deadline);
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

  @Override
  public void close() {
    if (urls != null) {
      urls.close();
    }
  }
}
