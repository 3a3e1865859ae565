package dev.shopsearch.indexer.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of a pipeline run; read by the progress reporter while it runs. Thread-safe. */
public final class PipelineStats {
  /** Products handed to the workers. */
  public final AtomicLong productsRead = new AtomicLong();

  /** Products written to the index. */
  public final AtomicLong productsWritten = new AtomicLong();

  /** Products skipped because their content hash did not change (update). */
  public final AtomicLong productsUnchanged = new AtomicLong();

  /** Images whose vectors went into the index. */
  public final AtomicLong imagesIndexed = new AtomicLong();

  /** Images run through the image encoder (cache misses). */
  public final AtomicLong imagesEncoded = new AtomicLong();

  /** Images whose vectors came from the embedding cache. */
  public final AtomicLong cacheHits = new AtomicLong();

  /**
   * Images whose bytes equal an image met earlier in this run: decoded and encoded once, the vector
   * shared.
   */
  public final AtomicLong duplicateImages = new AtomicLong();

  /** Encoder calls. */
  public final AtomicLong encoderBatches = new AtomicLong();

  /** Nanoseconds spent inside the encoder. */
  public final AtomicLong encoderNanos = new AtomicLong();

  /** Product texts run through the text encoder. */
  public final AtomicLong textsEncoded = new AtomicLong();

  /** Product text vectors that came from the embedding cache. */
  public final AtomicLong textCacheHits = new AtomicLong();

  /** Product texts equal to one encoded shortly before in this run (vector shared). */
  public final AtomicLong duplicateTexts = new AtomicLong();

  /** Nanoseconds spent inside the text encoder. */
  public final AtomicLong textEncoderNanos = new AtomicLong();

  /** Nanoseconds spent fetching, decoding and preprocessing (summed over workers). */
  public final AtomicLong prepareNanos = new AtomicLong();
}
