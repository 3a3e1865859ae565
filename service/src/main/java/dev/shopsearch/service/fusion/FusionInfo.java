package dev.shopsearch.service.fusion;

import dev.shopsearch.core.fusion.FusionSettings;

/**
 * The fusion a hybrid answer used, as reported in the response.
 *
 * @param strategy {@code rrf} or {@code score}
 * @param rrfK the RRF constant (meaningful for {@code rrf})
 * @param vectorWeight weight of the image kNN list
 * @param lexicalWeight weight of the BM25 list
 * @param semanticWeight weight of the semantic list (0: not searched); null when the served index
 *     has no product text vectors (built before schema version 4)
 * @param source where the settings came from: {@code request} (an override), {@code index}
 *     (calibrated into the served generation) or {@code default} (equal RRF, service's constant)
 */
public record FusionInfo(
    String strategy,
    int rrfK,
    double vectorWeight,
    double lexicalWeight,
    Double semanticWeight,
    String source) {

  /** Fusion of an index without the semantic list. */
  public FusionInfo(
      String strategy, int rrfK, double vectorWeight, double lexicalWeight, String source) {
    this(strategy, rrfK, vectorWeight, lexicalWeight, null, source);
  }

  static FusionInfo of(FusionSettings s, boolean semanticList, String source) {
    return new FusionInfo(
        s.strategy().key(),
        s.rrfK(),
        s.vectorWeight(),
        s.lexicalWeight(),
        semanticList ? s.semanticWeight() : null,
        source);
  }
}
