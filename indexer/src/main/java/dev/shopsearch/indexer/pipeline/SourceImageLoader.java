package dev.shopsearch.indexer.pipeline;

import dev.shopsearch.core.fetch.FetchException;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImageDecodeException;
import dev.shopsearch.core.image.ImagePreprocessor;

/**
 * The production {@link ImageLoader}: bytes from core's {@link ImageSource} (catalog-root
 * confinement, HTTP with timeouts, retries, size cap, SSRF rules), pixels from core's {@link
 * ImagePreprocessor} (format sniffing, pixel limits checked from the header, truncation checks,
 * PIL-exact resize). Reject kinds are the {@link FetchException.Reason} or {@link
 * ImageDecodeException.Reason} names. Thread-safe.
 */
public final class SourceImageLoader implements ImageLoader {
  private final ImageSource source;
  private final ImagePreprocessor preprocessor;

  public SourceImageLoader(ImageSource source, ImagePreprocessor preprocessor) {
    this.source = source;
    this.preprocessor = preprocessor;
  }

  @Override
  public byte[] fetch(String ref) throws ImageRejectedException {
    try {
      return source.fetch(ref).bytes();
    } catch (FetchException e) {
      throw new ImageRejectedException(e.reason().name(), e.getMessage(), e);
    }
  }

  @Override
  public float[] prepare(String ref, byte[] bytes) throws ImageRejectedException {
    try {
      return preprocessor.preprocess(bytes);
    } catch (ImageDecodeException e) {
      throw new ImageRejectedException(e.reason().name(), ref + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // a decoder bug on one odd file must skip that image, not stop the run
      throw new ImageRejectedException("CORRUPT", ref + ": " + e, e);
    }
  }
}
