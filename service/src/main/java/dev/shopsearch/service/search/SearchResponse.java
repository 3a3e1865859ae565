package dev.shopsearch.service.search;

import dev.shopsearch.service.facets.FacetCounts;
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
 * @param candidates the number of products in the match set (same as {@code total}; kept for older
 *     clients)
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
 * @param total the number of products in the match set ({@code MatchSet}): the same on every page
 *     of a query
 * @param sort the order ({@code relevance}, {@code price_asc}, {@code price_desc}, {@code newest})
 * @param nextCursor the {@code cursor} parameter of the next page; null (absent) on the last page
 * @param facets the facet counts when asked for ({@code facets=true}), else null (absent)
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
    int total,
    String sort,
    String nextCursor,
    FacetCounts facets,
    FusionInfo fusion) {

  /**
   * A response without paging details (total = candidates, relevance order, no facets) and without
   * fusion information.
   */
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
        candidates,
        SortOrder.RELEVANCE.key(),
        null,
        null,
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
