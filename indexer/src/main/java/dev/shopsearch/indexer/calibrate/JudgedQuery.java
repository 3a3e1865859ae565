package dev.shopsearch.indexer.calibrate;

import java.util.Set;

/**
 * A query with its relevant products.
 *
 * @param text the query text, as a shopper would type it
 * @param kind {@code name} (a product's name) or {@code attributes} (an attribute template)
 * @param relevant the relevant products, as parent (product) doc ids of the index
 */
public record JudgedQuery(String text, String kind, Set<Integer> relevant) {
  public JudgedQuery {
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("query '" + text + "' has no relevant product");
    }
    relevant = Set.copyOf(relevant);
  }
}
