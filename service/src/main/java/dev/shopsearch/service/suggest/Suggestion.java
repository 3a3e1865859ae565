package dev.shopsearch.service.suggest;

/**
 * One completion.
 *
 * @param text a product name or a category path as the catalog writes it
 * @param kind {@code product} or {@code category}
 * @param products how many products have this name or are in this category
 */
public record Suggestion(String text, String kind, long products) {
  /** {@link #kind()} of a product name. */
  public static final String PRODUCT = "product";

  /** {@link #kind()} of a category path. */
  public static final String CATEGORY = "category";
}
