package dev.shopsearch.service.search;

import dev.shopsearch.service.fusion.FusionInfo;
import java.util.List;
import java.util.Map;

/**
 * A page of results.
 *
 * @param query the normalised query text (null for image and similar-product searches)
 * @param mode how it was matched ({@code vector}, {@code hybrid}, {@code lexical}, {@code image},
 *     {@code similar})
 * @param k page size asked for
 * @param offset results skipped
 * @param candidates distinct products ranked before paging
 * @param hits the page, best first, one hit per product
 * @param timings milliseconds per stage ({@code encode}, {@code knn}, {@code lexical}, {@code
 *     fusion}, {@code fetch}) and {@code total}
 * @param model model name, version and hash
 * @param indexGeneration the index generation that answered
 * @param embeddingCached whether the query embedding came from the cache
 * @param degraded true when the answer is lexical-only because the service was overloaded or the
 *     deadline could not be met
 * @param degradedReason why, or null
 * @param didYouMean the query text the lexical search ran with when some of its words were not in
 *     the catalog's vocabulary and were corrected ({@code "red flroal dres"} → {@code "red floral
 *     dress"}); null (absent from the JSON) when the query was searched as typed
 * @param fusion how the kNN and BM25 lists were fused (hybrid answers only; null otherwise): the
 *     strategy, the weights and whether they came from the request, the index's calibration or the
 *     default
 */
public record SearchResponse(
    String query,
    String mode,
    int k,
    int offset,
    int candidates,
    List<SearchHit> hits,
    Map<String, Double> timings,
    ModelInfo model,
    long indexGeneration,
    boolean embeddingCached,
    boolean degraded,
    String degradedReason,
    String didYouMean,
    FusionInfo fusion) {

  /** A response without fusion information (not a hybrid answer). */
  public SearchResponse(
      String query,
      String mode,
      int k,
      int offset,
      int candidates,
      List<SearchHit> hits,
      Map<String, Double> timings,
      ModelInfo model,
      long indexGeneration,
      boolean embeddingCached,
      boolean degraded,
      String degradedReason,
      String didYouMean) {
    this(
        query,
        mode,
        k,
        offset,
        candidates,
        hits,
        timings,
        model,
        indexGeneration,
        embeddingCached,
        degraded,
        degradedReason,
        didYouMean,
        null);
  }

  /** A response whose query was searched as typed ({@code didYouMean} null). */
  public SearchResponse(
      String query,
      String mode,
      int k,
      int offset,
      int candidates,
      List<SearchHit> hits,
      Map<String, Double> timings,
      ModelInfo model,
      long indexGeneration,
      boolean embeddingCached,
      boolean degraded,
      String degradedReason) {
    this(
        query,
        mode,
        k,
        offset,
        candidates,
        hits,
        timings,
        model,
        indexGeneration,
        embeddingCached,
        degraded,
        degradedReason,
        null);
  }

  /** Model identity. */
  public record ModelInfo(String name, String version, String hash) {}
}
