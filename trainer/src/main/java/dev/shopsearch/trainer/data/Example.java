package dev.shopsearch.trainer.data;

import java.util.List;

/**
 * One training pair: a product photo and the captions of its product.
 *
 * @param productId catalog product id (the unit of the train/validation split)
 * @param group id of the product or look; examples of one group are never negatives of each other
 * @param captions caption variants (one per template, blank ones removed; never empty)
 * @param imageRef the image reference (absolute path or URL) as the image store resolves it
 * @param category the product's leaf category or empty (for hard-negative batching)
 */
public record Example(
    String productId, String group, List<String> captions, String imageRef, String category) {
  public Example {
    if (captions == null || captions.isEmpty()) {
      throw new IllegalArgumentException("example " + productId + " has no caption");
    }
    captions = List.copyOf(captions);
  }
}
