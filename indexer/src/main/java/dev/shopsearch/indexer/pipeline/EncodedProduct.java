package dev.shopsearch.indexer.pipeline;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import java.util.List;

/**
 * A product whose usable images all have vectors, ready for the index.
 *
 * @param product the catalog product
 * @param images its image vectors in catalog order (rejected images left out; never empty)
 * @param contentHash {@link ContentHash} of the row and its image bytes
 * @param textVector the text tower's embedding of the product's text, or null (no text tower, or a
 *     product without name and description)
 */
public record EncodedProduct(
    Product product, List<ImageVector> images, String contentHash, float[] textVector) {

  /** A product without a text vector. */
  public EncodedProduct(Product product, List<ImageVector> images, String contentHash) {
    this(product, images, contentHash, null);
  }
}
