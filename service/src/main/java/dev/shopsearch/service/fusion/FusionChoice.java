package dev.shopsearch.service.fusion;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.core.index.IndexMetadata;

/**
 * The fusion settings of one hybrid search and where they came from.
 *
 * @param settings what to fuse with
 * @param info the same, for the response
 */
public record FusionChoice(FusionSettings settings, FusionInfo info) {

  /**
   * Resolves a request's override over the served index's calibrated settings over equal RRF with
   * the configured constant.
   *
   * @param override the request's override ({@link FusionOverride#NONE} for none)
   * @param index the served generation's metadata
   * @param configuredRrfK {@code shopsearch.search.rrf-k}, used when the index has no settings
   * @throws InvalidFusionException when the override leaves both weights 0
   */
  public static FusionChoice resolve(
      FusionOverride override, IndexMetadata index, int configuredRrfK) {
    FusionSettings base =
        index.fusion() != null
            ? index.fusion()
            : new FusionSettings(FusionStrategy.RRF, configuredRrfK, 1, 1);
    String source = index.fusion() != null ? "index" : "default";
    if (override != null && !override.isEmpty()) {
      base = override.applyTo(base);
      source = "request";
    }
    return new FusionChoice(base, FusionInfo.of(base, source));
  }
}
