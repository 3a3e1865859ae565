package dev.shopsearch.core.search;

import java.util.List;

/**
 * The text a product is suggested by (search-as-you-type): its name and its category paths as
 * stored ({@code Women/Tops/Jackets}), as {@link ProductIndexView#forEachLabels} lists them.
 *
 * @param name the product name, or null when it has none
 * @param categoryPaths the stored category paths, {@code /}-separated, in catalog order
 */
public record ProductLabels(String name, List<String> categoryPaths) {
  public ProductLabels {
    categoryPaths = List.copyOf(categoryPaths);
  }
}
