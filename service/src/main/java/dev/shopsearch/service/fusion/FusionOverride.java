package dev.shopsearch.service.fusion;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import java.util.Locale;

/**
 * What a request overrides of the index's fusion settings; every part optional (null = the
 * index's).
 *
 * @param strategy {@code fusion=rrf|score}
 * @param vectorWeight weight of the image kNN list, in [0, 100]
 * @param lexicalWeight weight of the BM25 list, in [0, 100]
 * @param semanticWeight weight of the semantic list (kNN over the products' text vectors), in [0,
 *     100]; 0 turns the list off (it is not searched)
 * @param rrfK the RRF constant, in [1, 10000]
 */
public record FusionOverride(
    FusionStrategy strategy,
    Double vectorWeight,
    Double lexicalWeight,
    Double semanticWeight,
    Integer rrfK) {

  /** No override. */
  public static final FusionOverride NONE = new FusionOverride(null, null, null, null, null);

  /** An override of the image and BM25 weights only. */
  public FusionOverride(
      FusionStrategy strategy, Double vectorWeight, Double lexicalWeight, Integer rrfK) {
    this(strategy, vectorWeight, lexicalWeight, null, rrfK);
  }

  /** Validates raw request values without a semantic weight. */
  public static FusionOverride of(
      String fusion, Double vectorWeight, Double lexicalWeight, Integer rrfK) {
    return of(fusion, vectorWeight, lexicalWeight, null, rrfK);
  }

  /**
   * Validates raw request values.
   *
   * @throws InvalidFusionException naming the parameter, the accepted values or limit and the value
   */
  public static FusionOverride of(
      String fusion,
      Double vectorWeight,
      Double lexicalWeight,
      Double semanticWeight,
      Integer rrfK) {
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
    weight("semanticWeight", semanticWeight);
    if (vectorWeight != null
        && lexicalWeight != null
        && semanticWeight != null
        && vectorWeight + lexicalWeight + semanticWeight == 0) {
      throw new InvalidFusionException(
          "vectorWeight", "vectorWeight, lexicalWeight and semanticWeight must not all be 0");
    }
    if (rrfK != null && (rrfK < 1 || rrfK > FusionSettings.MAX_RRF_K)) {
      throw new InvalidFusionException(
          "rrfK",
          String.format(
              Locale.ROOT, "rrfK must be in [1, %d]; got %d", FusionSettings.MAX_RRF_K, rrfK));
    }
    return new FusionOverride(strategy, vectorWeight, lexicalWeight, semanticWeight, rrfK);
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
    return strategy == null
        && vectorWeight == null
        && lexicalWeight == null
        && semanticWeight == null
        && rrfK == null;
  }

  /** The settings with this override applied, for an index without a semantic list. */
  public FusionSettings applyTo(FusionSettings base) {
    return applyTo(base, false);
  }

  /**
   * The settings with this override applied.
   *
   * @param semanticList whether the served index has the semantic list; without it the semantic
   *     weight is 0 whatever was asked
   * @throws InvalidFusionException when the result gives every list that runs weight 0
   */
  public FusionSettings applyTo(FusionSettings base, boolean semanticList) {
    double v = vectorWeight == null ? base.vectorWeight() : vectorWeight;
    double l = lexicalWeight == null ? base.lexicalWeight() : lexicalWeight;
    double s = semanticWeight == null ? base.semanticWeight() : semanticWeight;
    if (!semanticList) {
      s = 0;
    }
    if (v + l + s == 0) {
      String parameter =
          vectorWeight != null
              ? "vectorWeight"
              : lexicalWeight != null ? "lexicalWeight" : "semanticWeight";
      throw new InvalidFusionException(
          parameter,
          semanticList
              ? "vectorWeight, lexicalWeight and semanticWeight must not all be 0 (the index's"
                  + " other weights are 0)"
              : "vectorWeight and lexicalWeight must not both be 0 (the index's other weight is"
                  + " 0, and it has no semantic list)");
    }
    return new FusionSettings(
        strategy == null ? base.strategy() : strategy, rrfK == null ? base.rrfK() : rrfK, v, l, s);
  }
}
