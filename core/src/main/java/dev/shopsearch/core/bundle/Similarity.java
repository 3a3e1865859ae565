package dev.shopsearch.core.bundle;

/**
 * How two embeddings of a bundle are compared. Encoders always return L2-normalised vectors, so
 * {@link #COSINE} and {@link #DOT_PRODUCT} rank identically; the index stores the choice so that a
 * reader can refuse a bundle that disagrees.
 */
public enum Similarity {
  COSINE,
  DOT_PRODUCT,
  EUCLIDEAN
}
