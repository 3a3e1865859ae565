package dev.shopsearch.core.fusion;

import java.util.Locale;

/** How ranked lists are combined. */
public enum FusionStrategy {
  /**
   * Weighted reciprocal-rank fusion: a product scores {@code sum_i w_i / (k + rank_i)} over the
   * lists it is in (rank from 1).
   */
  RRF,
  /**
   * Normalised-score combination: each list's scores are min-max scaled to [0, 1] (a list whose
   * scores are all equal scales to 1), and a product scores {@code sum_i w_i * scaled_i} over the
   * lists it is in.
   */
  SCORE;

  /** Lower-case name as used in the API, the metadata and the reports. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code rrf} or {@code score} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static FusionStrategy parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "rrf" -> RRF;
      case "score" -> SCORE;
      default ->
          throw new IllegalArgumentException(
              "fusion must be one of rrf, score; got '" + value + "'");
    };
  }
}
