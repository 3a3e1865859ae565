package dev.shopsearch.core.search;

import java.util.List;

/**
 * The text a product is labelled with, as {@link ProductIndexView#forEachLabels} lists it: what
 * autocompletion is built from (name, category paths) and what the indexer's fusion calibration
 * makes its judged queries from (name, colour, category paths, judged by product id).
 *
 * @param productId the product id
 * @param name the product name, or null when it has none
 * @param colour the colour as displayed, or null when it has none
 * @param categoryPaths the stored category paths ({@code Women/Tops/Jackets}), {@code /}-separated,
 *     in catalog order
 */
public record ProductLabels(
    String productId, String name, String colour, List<String> categoryPaths) {
  public ProductLabels {
    categoryPaths = List.copyOf(categoryPaths);
  }
}
