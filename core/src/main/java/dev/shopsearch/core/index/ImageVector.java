package dev.shopsearch.core.index;

import java.util.Objects;

/**
 * One encoded image of a product, ready to become a child document.
 *
 * @param ref the image reference as written in the catalog
 * @param ordinal position of the image in the product's catalog image list (0-based)
 * @param vector unit-norm embedding ({@code dim} floats)
 * @param sha256 hex SHA-256 of the image bytes the vector was computed from, or {@code null} when
 *     unknown
 */
public record ImageVector(String ref, int ordinal, float[] vector, String sha256) {
  public ImageVector {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(vector, "vector");
    if (ordinal < 0) {
      throw new IllegalArgumentException("image ordinal must be >= 0; ordinal=" + ordinal);
    }
  }

  /** Without the hash of the image bytes. */
  public ImageVector(String ref, int ordinal, float[] vector) {
    this(ref, ordinal, vector, null);
  }
}
