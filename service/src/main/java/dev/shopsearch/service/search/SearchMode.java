package dev.shopsearch.service.search;

import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.Locale;

/** How a text query is matched. */
public enum SearchMode {
  /** kNN over image vectors with the encoded query. */
  VECTOR,
  /** kNN and BM25, fused by reciprocal rank. */
  HYBRID,
  /** BM25 over name, description and categories only (no encode). */
  LEXICAL;

  /** Lower-case name as used in the API. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses an API value (case-insensitive).
   *
   * @throws InvalidRequestException naming the accepted values
   */
  public static SearchMode parse(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "vector" -> VECTOR;
      case "hybrid" -> HYBRID;
      case "lexical" -> LEXICAL;
      default ->
          throw new InvalidRequestException(
              "mode", "mode must be one of vector, hybrid, lexical; got '" + value + "'");
    };
  }
}
