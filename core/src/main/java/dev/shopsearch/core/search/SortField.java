package dev.shopsearch.core.search;

/** The per-product value a page can be ordered by (besides relevance). */
public enum SortField {
  /** No value: only the product id is loaded (relevance order, id tie-break). */
  NONE,
  /** The filter price. */
  PRICE,
  /** The product's row in the catalog (schema version 3 onwards): newest = highest. */
  CATALOG_ROW
}
