package dev.shopsearch.service.fusion;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import java.util.Locale;

/**
 * What a request overrides of the index's fusion settings; every part optional (null = the
 * index's).
 *
 * @param strategy {@code fusion=rrf|score}
 * @param vectorWeight weight of the kNN list, in [0, 100]
 * @param lexicalWeight weight of the BM25 list, in [0, 100]
 * @param rrfK the RRF constant, in [1, 10000]
 */
public record FusionOverride(
    FusionStrategy strategy, Double vectorWeight, Double lexicalWeight, Integer rrfK) {

  /** No override. */
  public static final FusionOverride NONE = new FusionOverride(null, null, null, null);

  /**
   * Validates raw request values.
   *
   * @throws InvalidFusionException naming the parameter, the accepted values or limit and the value
   */
  public static FusionOverride of(
      String fusion, Double vectorWeight, Double lexicalWeight, Integer rrfK) {
    FusionStrategy strategy = null;
    if (fusion != null && !fusion.isBlank()) {
      try {
        strategy = FusionStrategy.parse(fusion);
      } catch (IllegalArgumentException e) {
        throw new InvalidFusionException("fusion", e.getMessage());
      }
    }
    weight("vectorWeight", vectorWeight);
    weight("lexicalWeight", lexicalWeight);
    if (vectorWeight != null && lexicalWeight != null && vectorWeight + lexicalWeight == 0) {
      throw new InvalidFusionException(
          "vectorWeight", "vectorWeight and lexicalWeight must not both be 0");
    }
    if (rrfK != null && (rrfK < 1 || rrfK > FusionSettings.MAX_RRF_K)) {
      throw new InvalidFusionException(
          "rrfK",
          String.format(
              Locale.ROOT, "rrfK must be in [1, %d]; got %d", FusionSettings.MAX_RRF_K, rrfK));
    }
    return new FusionOverride(strategy, vectorWeight, lexicalWeight, rrfK);
  }

  private static void weight(String name, Double w) {
    if (w == null) {
      return;
    }
    try {
      FusionSettings.checkWeight(name, w);
    } catch (IllegalArgumentException e) {
      throw new InvalidFusionException(name, e.getMessage());
    }
  }

  /** Whether the request overrides anything. */
  public boolean isEmpty() {
    return strategy == null && vectorWeight == null && lexicalWeight == null && rrfK == null;
  }

  /**
   * The settings with this override applied.
   *
   * @throws InvalidFusionException when the result gives both lists weight 0
   */
  public FusionSettings applyTo(FusionSettings base) {
    double v = vectorWeight == null ? base.vectorWeight() : vectorWeight;
    double l = lexicalWeight == null ? base.lexicalWeight() : lexicalWeight;
    if (v + l == 0) {
      throw new InvalidFusionException(
          vectorWeight != null ? "vectorWeight" : "lexicalWeight",
          "vectorWeight and lexicalWeight must not both be 0 (the index's other weight is 0)");
    }
    return new FusionSettings(
        strategy == null ? base.strategy() : strategy, rrfK == null ? base.rrfK() : rrfK, v, l);
  }
}
