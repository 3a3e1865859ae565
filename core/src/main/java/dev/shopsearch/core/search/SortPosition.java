package dev.shopsearch.core.search;

/**
 * A position in a sorted order of products (a page cursor): a page resumes strictly after it.
 *
 * @param missing whether the product at the position has no value of the sort field
 * @param value its value (ignored when {@code missing})
 * @param productId its product id (the tie-break)
 */
public record SortPosition(boolean missing, double value, String productId) {}
