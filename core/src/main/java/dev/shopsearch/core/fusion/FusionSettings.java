package dev.shopsearch.core.fusion;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How a hybrid search fuses its lists: the strategy, the RRF constant (used by {@link
 * FusionStrategy#RRF} only) and one weight per list. Stored in the index metadata (commit user
 * data, keys {@code shopsearch.fusion.*}) when {@code indexer calibrate} has learnt them from the
 * index's own catalog; an index without them is served with {@link #EQUAL_RRF} (or the service's
 * configured RRF constant).
 *
 * @param strategy how the lists are combined
 * @param rrfK the RRF constant, in [1, {@value #MAX_RRF_K}]
 * @param vectorWeight weight of the kNN (image vector) list, in [0, {@value #MAX_WEIGHT}]
 * @param lexicalWeight weight of the BM25 list, in [0, {@value #MAX_WEIGHT}]
 * @param semanticWeight weight of the semantic list (kNN over the products' text vectors), in [0,
 *     {@value #MAX_WEIGHT}]; 0 leaves the list out. Settings stored before the semantic list
 *     existed have no such key and read as 0, so they keep ranking as they were calibrated
 */
public record FusionSettings(
    FusionStrategy strategy,
    int rrfK,
    double vectorWeight,
    double lexicalWeight,
    double semanticWeight) {

  /** Largest accepted weight. */
  public static final double MAX_WEIGHT = 100;

  /** Largest accepted RRF constant. */
  public static final int MAX_RRF_K = 10_000;

  /** The RRF constant of the original paper and of the service's default. */
  public static final int DEFAULT_RRF_K = 60;

  /**
   * Equal-weight RRF with k = 60 over the image and BM25 lists: what hybrid search did before
   * calibration and before the semantic list.
   */
  public static final FusionSettings EQUAL_RRF =
      new FusionSettings(FusionStrategy.RRF, DEFAULT_RRF_K, 1, 1);

  static final String PREFIX = "shopsearch.fusion.";
  static final String K_STRATEGY = PREFIX + "strategy";
  static final String K_RRF_K = PREFIX + "rrf_k";
  static final String K_VECTOR = PREFIX + "weight.vector";
  static final String K_LEXICAL = PREFIX + "weight.lexical";
  static final String K_SEMANTIC = PREFIX + "weight.semantic";

  /** Settings for the image and BM25 lists only (semantic weight 0). */
  public FusionSettings(
      FusionStrategy strategy, int rrfK, double vectorWeight, double lexicalWeight) {
    this(strategy, rrfK, vectorWeight, lexicalWeight, 0);
  }

  /**
   * What a hybrid search of an index without calibrated settings runs: equal-weight RRF over the
   * image and BM25 lists, the semantic list left out (weight 0). The semantic list joins when
   * {@code indexer calibrate} finds on held-out queries that it helps, or when a request asks for
   * it: uncalibrated, an equal third vote from a text tower that was not judged on the catalog can
   * make hybrid worse than its parts (the demo's "dress": 4 dresses in the top 10 instead of 7+).
   */
  public static FusionSettings uncalibrated(int rrfK) {
    return new FusionSettings(FusionStrategy.RRF, rrfK, 1, 1, 0);
  }

  /** Equal-weight RRF over all three lists with the given constant. */
  public static FusionSettings equalRrf(int rrfK) {
    return new FusionSettings(FusionStrategy.RRF, rrfK, 1, 1, 1);
  }

  public FusionSettings {
    if (strategy == null) {
      throw new IllegalArgumentException("fusion strategy must be set (rrf or score)");
    }
    if (rrfK < 1 || rrfK > MAX_RRF_K) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "rrfK must be in [1, %d]; got %d", MAX_RRF_K, rrfK));
    }
    checkWeight("vectorWeight", vectorWeight);
    checkWeight("lexicalWeight", lexicalWeight);
    checkWeight("semanticWeight", semanticWeight);
    if (vectorWeight + lexicalWeight + semanticWeight == 0) {
      throw new IllegalArgumentException(
          "vectorWeight, lexicalWeight and semanticWeight must not all be 0 (nothing would rank)");
    }
  }

  /**
   * Checks one weight.
   *
   * @throws IllegalArgumentException naming the weight, the limit and the value
   */
  public static void checkWeight(String name, double w) {
    if (!Double.isFinite(w) || w < 0 || w > MAX_WEIGHT) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [0, %s]; got %s", name, "100", w));
    }
  }

  /** A copy with other image and BM25 weights (the semantic weight kept). */
  public FusionSettings withWeights(double vector, double lexical) {
    return new FusionSettings(strategy, rrfK, vector, lexical, semanticWeight);
  }

  /** A copy with other weights for all three lists. */
  public FusionSettings withWeights(double vector, double lexical, double semantic) {
    return new FusionSettings(strategy, rrfK, vector, lexical, semantic);
  }

  /** The commit user data entries ({@code shopsearch.fusion.*}). */
  public Map<String, String> toUserData() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(K_STRATEGY, strategy.key());
    m.put(K_RRF_K, Integer.toString(rrfK));
    m.put(K_VECTOR, Double.toString(vectorWeight));
    m.put(K_LEXICAL, Double.toString(lexicalWeight));
    m.put(K_SEMANTIC, Double.toString(semanticWeight));
    return m;
  }

  /**
   * Reads the settings from commit user data.
   *
   * @return null when the commit has none (an index that was never calibrated); a commit without
   *     {@code weight.semantic} (calibrated before the semantic list) reads as semantic weight 0
   * @throws IllegalArgumentException naming the malformed key and value
   */
  public static FusionSettings fromUserData(Map<String, String> userData) {
    if (userData == null || !userData.containsKey(K_STRATEGY)) {
      return null;
    }
    return new FusionSettings(
        FusionStrategy.parse(userData.get(K_STRATEGY)),
        integer(userData, K_RRF_K),
        number(userData, K_VECTOR),
        number(userData, K_LEXICAL),
        userData.containsKey(K_SEMANTIC) ? number(userData, K_SEMANTIC) : 0);
  }

  private static int integer(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing key " + key);
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: '" + v + "'");
    }
  }

  private static double number(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing key " + key);
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: '" + v + "'");
    }
  }
}
