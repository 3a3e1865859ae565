package dev.shopsearch.indexer.job;

import java.util.List;

/**
 * One product as {@link ConsistencyAuditor} scores it: its text fields and the vectors of its
 * images.
 *
 * @param name its name, or null
 * @param description its description, or null
 * @param imageRefs each image's reference as indexed, in the order of {@code vectors}
 * @param vectors each image's vector
 */
public record AuditedProduct(
    String id, String name, String description, List<String> imageRefs, List<float[]> vectors) {
  /**
   * @throws IllegalArgumentException when the references and the vectors differ in number
   */
  public AuditedProduct {
    if (imageRefs.size() != vectors.size()) {
      throw new IllegalArgumentException(
          "product "
              + id
              + ": "
              + imageRefs.size()
              + " image references for "
              + vectors.size()
              + " vectors");
    }
    imageRefs = List.copyOf(imageRefs);
    vectors = List.copyOf(vectors);
  }
}
