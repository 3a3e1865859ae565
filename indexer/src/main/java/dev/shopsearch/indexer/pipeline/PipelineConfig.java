package dev.shopsearch.indexer.pipeline;

import java.util.Locale;

/**
 * Sizes of the embedding pipeline.
 *
 * @param workers fetch/decode/preprocess threads, in [1, 256]
 * @param batchSize images per encoder call, in [1, 4096]
 * @param queueCapacity products buffered between stages, in [1, 65536]; with {@code workers}, it
 *     bounds memory: at most about {@code (2 * queueCapacity + workers + batchSize)} products'
 *     pixels are held at once
 * @param batchWaitMillis how long the encoder waits for a full batch before encoding a partial one
 * @param recentImages vectors kept in memory so that an image whose bytes come back later in the
 *     run is not encoded again, in [0, 1,000,000] (about {@code 4 * dim} bytes each); images in
 *     flight are always shared, and the embedding cache covers the rest when it is on
 */
public record PipelineConfig(
    int workers, int batchSize, int queueCapacity, long batchWaitMillis, int recentImages) {

  /** Default {@link #recentImages()}: 4,096 (8 MiB of 512-d vectors). */
  public static final int DEFAULT_RECENT_IMAGES = 4_096;

  public PipelineConfig {
    check("workers", workers, 1, 256);
    check("batchSize", batchSize, 1, 4096);
    check("queueCapacity", queueCapacity, 1, 65536);
    check("batchWaitMillis", batchWaitMillis, 0, 60_000);
    check("recentImages", recentImages, 0, 1_000_000);
  }

  /** With {@link #DEFAULT_RECENT_IMAGES}. */
  public PipelineConfig(int workers, int batchSize, int queueCapacity, long batchWaitMillis) {
    this(workers, batchSize, queueCapacity, batchWaitMillis, DEFAULT_RECENT_IMAGES);
  }

  /** Workers = available processors, batch 32, queue 32, 20 ms batch wait, 4,096 recent images. */
  public static PipelineConfig defaults() {
    return new PipelineConfig(Runtime.getRuntime().availableProcessors(), 32, 32, 20);
  }

  private static void check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%d, %d]; %s=%d", name, min, max, name, value));
    }
  }
}
