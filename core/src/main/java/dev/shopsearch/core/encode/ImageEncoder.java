package dev.shopsearch.core.encode;

import java.util.List;

/**
 * Turns preprocessed images into embeddings with a bundle's image tower.
 *
 * <p>Input: one {@code float[3 * size * size]} per image, CHW order, normalised as the bundle's
 * {@code ImageSpec} says (see {@code dev.shopsearch.core.image.ImagePreprocessor}). Output: one
 * unit-norm {@code float[dim()]} per image, and {@code encode(List.of(a, b)).get(i)} equals {@code
 * encode(List.of(a))} / {@code encode(List.of(b))} within float tolerance. Thread-safe.
 *
 * <p>Every implementation, test fakes included, runs this contract as a test by extending {@code
 * dev.shopsearch.core.testing.BaseImageEncoderTestCase} (core's test-jar).
 */
public interface ImageEncoder extends AutoCloseable {

  /** Embedding dimension. */
  int dim();

  /** Input image side length in pixels. */
  int imageSize();

  /**
   * Encodes a batch of preprocessed images.
   *
   * @throws IllegalArgumentException if the list is empty, holds a null or a tensor of the wrong
   *     length
   * @throws EncoderException if the model fails
   */
  List<float[]> encode(List<float[]> pixels);

  /** Execution provider actually in use; prints as e.g. {@code cpu} or {@code cuda:0}. */
  ActiveProvider executionProvider();

  @Override
  void close();
}
