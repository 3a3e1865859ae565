package dev.shopsearch.service.fusion;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.IndexMetadata;

/**
 * The fusion settings of one hybrid search and where they came from.
 *
 * @param settings what to fuse with (semantic weight 0 when the semantic list does not run)
 * @param info the same, for the response
 */
public record FusionChoice(FusionSettings settings, FusionInfo info) {

  /**
   * {@link #resolve(FusionOverride, IndexMetadata, int, boolean)} for an index without text
   * vectors.
   */
  public static FusionChoice resolve(
      FusionOverride override, IndexMetadata index, int configuredRrfK) {
    return resolve(override, index, configuredRrfK, false);
  }

  /**
   * Resolves a request's override over the served index's calibrated settings over equal RRF with
   * the configured constant (all three lists weight 1). Settings calibrated before the semantic
   * list have semantic weight 0: such an index keeps ranking as calibrated until it is calibrated
   * again.
   *
   * @param override the request's override ({@link FusionOverride#NONE} for none)
   * @param index the served generation's metadata
   * @param configuredRrfK {@code shopsearch.search.rrf-k}, used when the index has no settings
   * @param semanticList whether the served generation has product text vectors
   * @throws InvalidFusionException when the override leaves every list weight 0
   */
  public static FusionChoice resolve(
      FusionOverride override, IndexMetadata index, int configuredRrfK, boolean semanticList) {
    FusionSettings base =
        index.fusion() != null ? index.fusion() : FusionSettings.uncalibrated(configuredRrfK);
    String source = index.fusion() != null ? "index" : "default";
    if (override != null && !override.isEmpty()) {
      source = "request";
    } else {
      override = FusionOverride.NONE;
    }
    if (!override.isEmpty() || !semanticList) {
      base = override.applyTo(base, semanticList);
    }
    return new FusionChoice(base, FusionInfo.of(base, semanticList, source));
  }
}
