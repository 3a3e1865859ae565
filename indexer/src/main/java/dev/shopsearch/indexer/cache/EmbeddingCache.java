package dev.shopsearch.indexer.cache;

import java.io.IOException;

/**
 * Image embeddings already computed, keyed by the hash of the image bytes within one model
 * namespace (see {@link LuceneEmbeddingCache#namespace}). Thread-safe.
 */
public interface EmbeddingCache extends AutoCloseable {

  /** The cached vector for an image hash, or {@code null}. */
  float[] get(String imageHash) throws IOException;

  /** Stores a vector (replacing any previous one). */
  void put(String imageHash, float[] vector) throws IOException;

  /** Makes stored vectors durable. */
  void commit() throws IOException;

  @Override
  void close() throws IOException;

  /** A cache that stores nothing. */
  static EmbeddingCache none() {
    return new EmbeddingCache() {
      @Override
      public float[] get(String imageHash) {
        return null;
      }

      @Override
      public void put(String imageHash, float[] vector) {}

      @Override
      public void commit() {}

      @Override
      public void close() {}
    };
  }
}
