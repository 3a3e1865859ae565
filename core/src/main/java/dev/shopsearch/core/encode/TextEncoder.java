package dev.shopsearch.core.encode;

import java.util.List;

/**
 * Turns text into embeddings with a bundle's text tower.
 *
 * <p>Every returned vector has {@link #dim()} floats and unit L2 norm. Implementations are
 * thread-safe: one instance serves all request threads. A batch is padded only to its longest
 * member, and {@code encode(List.of(a, b)).get(i)} equals {@code encode(a)} / {@code encode(b)}
 * within float tolerance.
 *
 * <p>Every implementation, test fakes included, runs this contract as a test by extending {@code
 * dev.shopsearch.core.testing.BaseTextEncoderTestCase} (core's test-jar).
 */
public interface TextEncoder extends AutoCloseable {

  /** Embedding dimension. */
  int dim();

  /**
   * Encodes one text.
   *
   * @throws IllegalArgumentException if {@code text} is null or blank
   * @throws EncoderException if the model fails
   */
  default float[] encode(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return encode(List.of(text)).get(0);
  }

  /**
   * Encodes a batch; element {@code i} of the result belongs to {@code texts.get(i)}.
   *
   * @throws IllegalArgumentException if the list is empty or holds a null or blank text
   * @throws EncoderException if the model fails
   */
  List<float[]> encode(List<String> texts);

  /** Execution provider actually in use; prints as e.g. {@code cpu} or {@code cuda:0}. */
  ActiveProvider executionProvider();

  @Override
  void close();
}
