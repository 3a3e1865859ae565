package dev.shopsearch.service.image;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.ImageProbe;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Embeds query images and computes image–text consistency, in two steps that callers keep apart:
 *
 * <ol>
 *   <li>{@link #prepare}: the {@link PixelBudget} is checked from the image's header on the
 *       caller's thread, and an image the image threads recently could not finish in the time now
 *       left ({@link DecodeCost}) is refused at once; then the image is decoded and preprocessed on
 *       the {@link ImageWorkers} bulkhead (bounded, deadline-aware, abandoned at the deadline). No
 *       search admission slot is needed for this, so uploads cannot take the slots text searches
 *       need.
 *   <li>{@link #encode}: the image tower runs on the {@link QueryEmbedder}'s encoder threads, under
 *       their concurrency bound and the deadline; this is the part a search admits.
 * </ol>
 *
 * Thread-safe.
 */
@Component
public class ImageQueryService {
  private final ModelHolder models;
  private final QueryEmbedder embedder;
  private final QueryImagePreprocessor preprocessor;
  private final ImageWorkers workers;
  private final ImageUrlFetcher urls;
  private final PixelBudget budget;
  private final DecodeCost cost;

  @Autowired
  public ImageQueryService(
      ModelHolder models,
      QueryEmbedder embedder,
      QueryImagePreprocessor preprocessor,
      ImageWorkers workers,
      ImageUrlFetcher urls,
      UploadProperties upload) {
    this(models, embedder, preprocessor, workers, urls, upload, NanoClock.SYSTEM);
  }

  /** With {@code clock} dating the decode-cost estimates (a manual clock in tests). */
  ImageQueryService(
      ModelHolder models,
      QueryEmbedder embedder,
      QueryImagePreprocessor preprocessor,
      ImageWorkers workers,
      ImageUrlFetcher urls,
      UploadProperties upload,
      NanoClock clock) {
    this.cost = new DecodeCost(clock::nanoTime);
    this.models = models;
    this.embedder = embedder;
    this.preprocessor = preprocessor;
    this.workers = workers;
    this.urls = urls;
    this.budget = new PixelBudget(upload.maxPixels());
  }

  /**
   * A query image ready for the image tower of the model it was preprocessed for.
   *
   * @param model the model whose preprocessing produced {@code pixels}
   * @param pixels {@code float[3 * size * size]}, CHW
   */
  public record Prepared(LoadedModel model, float[] pixels) {}

  /**
   * Checks an encoded image against the pixel budget, then decodes and preprocesses it on the image
   * threads, within the deadline.
   *
   * @throws InvalidRequestException if the bytes are empty, not an image, truncated, corrupt or of
   *     a shape the preprocessing cannot resize
   * @throws UnsupportedImageException for an image format the decoder does not read
   * @throws ImageTooLargeException if the image exceeds the byte or pixel limit
   * @throws OverloadedException when the image threads are full or the deadline passes
   */
  public Prepared prepare(byte[] bytes, Deadline deadline) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidRequestException("image", "image must not be empty");
    }
    LoadedModel model = models.current();
    ImageProbe.Header header = budget.check(bytes, imageSpec(model));
    if (header == null) {
      return new Prepared(
          model,
          workers.run(deadline, abandoned -> preprocessor.preprocess(model, bytes, abandoned)));
    }
    refuseIfHopeless(header, deadline);
    float[] pixels =
        workers.run(
            deadline,
            abandoned -> {
              long t0 = System.nanoTime();
              try {
                float[] out = preprocessor.preprocess(model, bytes, abandoned);
                cost.completed(header.format(), header.pixels(), System.nanoTime() - t0);
                return out;
              } catch (CancellationException e) {
                cost.abandoned(header.format(), header.pixels(), System.nanoTime() - t0);
                throw e;
              }
            });
    return new Prepared(model, pixels);
  }

  /** Refuses an image the image threads recently proved they cannot finish in the time left. */
  private void refuseIfHopeless(ImageProbe.Header header, Deadline deadline) {
    long expected = cost.expectedNanos(header.format(), header.pixels());
    long left = deadline.remainingNanos();
    if (expected > 0 && left < expected) {
      throw new OverloadedException(
          ShedReason.DEADLINE,
          String.format(
              Locale.ROOT,
              "the %d ms deadline cannot be met: a %dx%d %s takes about %.0f ms to decode now"
                  + " (%.0f ms left)",
              deadline.budgetMillis(),
              header.width(),
              header.height(),
              header.format(),
              expected / 1e6,
              left / 1e6));
    }
  }

  /**
   * The unit-norm embedding of a prepared image, from the model that prepared it.
   *
   * @throws OverloadedException if the encoder cannot answer within the deadline
   */
  public float[] encode(Prepared image, Deadline deadline) {
    return embedder.withEncoderSlot(
        deadline, () -> image.model().image().encode(List.of(image.pixels())).get(0));
  }

  /** {@link #prepare} then {@link #encode}. */
  public float[] embedImage(byte[] bytes, Deadline deadline) {
    return encode(prepare(bytes, deadline), deadline);
  }

  /**
   * The bytes behind an http(s) image URL, fetched within the deadline ({@link ImageUrlFetcher}).
   */
  public byte[] fetch(String url, Deadline deadline) {
    return urls.fetch(url, deadline);
  }

  /** {@link #fetch} then {@link #embedImage}. */
  public float[] embedUrl(String url, Deadline deadline) {
    return embedImage(fetch(url, deadline), deadline);
  }

  /** A consistency score and the model that computed it. */
  public record Consistency(double cosine, String model) {}

  /**
   * Cosine similarity of an image and a text under the served model.
   *
   * @return the cosine in [-1, 1]
   */
  public Consistency consistency(byte[] image, String text, Deadline deadline) {
    Prepared prepared = prepare(image, deadline);
    float[] iv = encode(prepared, deadline);
    float[] tv = embedder.embed(text, deadline).vector();
    double dot = 0;
    for (int i = 0; i < iv.length; i++) {
      dot += iv[i] * tv[i];
    }
    LoadedModel model = prepared.model();
    return new Consistency(
        Math.max(-1, Math.min(1, dot)), model.manifest().name() + " " + model.manifest().version());
  }

  private static ImageSpec imageSpec(LoadedModel model) {
    ImageSpec spec = model.manifest().imageSpec();
    if (spec == null) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "model %s has no image spec", model.manifest().name()));
    }
    return spec;
  }
}
