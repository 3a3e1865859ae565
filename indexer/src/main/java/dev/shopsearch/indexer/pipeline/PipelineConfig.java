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
 */
public record PipelineConfig(int workers, int batchSize, int queueCapacity, long batchWaitMillis) {
  public PipelineConfig {
    check("workers", workers, 1, 256);
    check("batchSize", batchSize, 1, 4096);
    check("queueCapacity", queueCapacity, 1, 65536);
    check("batchWaitMillis", batchWaitMillis, 0, 60_000);
  }

  /** Workers = available processors, batch 32, queue 32, 20 ms batch wait. */
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
