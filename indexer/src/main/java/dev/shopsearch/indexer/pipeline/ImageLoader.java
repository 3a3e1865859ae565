package dev.shopsearch.indexer.pipeline;

/**
 * Turns a catalog image reference into model input in two steps, so that the pipeline can hash the
 * bytes and consult the embedding cache before paying for decoding. Implementations are
 * thread-safe: the pipeline calls them from several worker threads.
 */
public interface ImageLoader {

  /**
   * Reads the bytes of an image reference (a path relative to the catalog or an http(s) URL).
   *
   * @throws ImageRejectedException if the reference is missing, escapes the catalog root, is too
   *     large or cannot be fetched
   */
  byte[] fetch(String ref) throws ImageRejectedException;

  /**
   * Decodes and preprocesses image bytes into the encoder's input ({@code float[3 * size * size]},
   * CHW, normalised).
   *
   * @throws ImageRejectedException if the bytes are not a usable image
   */
  float[] prepare(String ref, byte[] bytes) throws ImageRejectedException;
}
