package dev.shopsearch.service.search;

import dev.shopsearch.service.problem.UnknownParameterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The order of a result list. Every order ends with the product id (ascending) as tie-break, so the
 * order is total and a {@link Cursor} can resume after any hit.
 */
public enum SortOrder {
  /** Best match first (fused RRF score, kNN score or BM25 score, as the mode gives). */
  RELEVANCE("relevance"),
  /** Cheapest first; products without a price last. */
  PRICE_ASC("price_asc"),
  /** Dearest first; products without a price last. */
  PRICE_DESC("price_desc"),
  /**
   * Newest first: the highest catalog row first (catalogs append new products), from the index's
   * catalog-order field (schema version 3).
   */
  NEWEST("newest");

  private final String key;

  SortOrder(String key) {
    this.key = key;
  }

  /** The parameter value. */
  public String key() {
    return key;
  }

  /** The accepted parameter values. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (SortOrder s : values()) {
      out.add(s.key);
    }
    return out;
  }

  /**
   * Parses a {@code sort} parameter (null or blank = {@link #RELEVANCE}).
   *
   * @throws UnknownParameterException naming {@code sort} and listing the accepted values
   */
  public static SortOrder parse(String value) {
    if (value == null || value.isBlank()) {
      return RELEVANCE;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (SortOrder s : values()) {
      if (s.key.equals(v)) {
        return s;
      }
    }
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    throw new UnknownParameterException(
        "sort",
        "sort must be one of " + String.join(", ", keys()) + "; got '" + shown + "'",
        keys());
  }
}
