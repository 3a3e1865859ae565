package dev.shopsearch.core.publish;

import dev.shopsearch.core.catalog.Product;

/** Where a backend reports a product it refused for its content (the indexer's reject log). */
@FunctionalInterface
public interface ProductRefusals {
  /** Reject kind of a product whose documents the backend refused. */
  String INDEX_REFUSED = "INDEX_REFUSED";

  /**
   * The backend refused {@code product}; it is not in the draft.
   *
   * @param reason the backend's reason (bounded length, no secret)
   */
  void refused(Product product, String reason);
}
