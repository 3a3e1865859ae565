package dev.shopsearch.service.search;

import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.fusion.InvalidFusionException;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.Locale;

/**
 * A validated text search.
 *
 * @param text normalised query text (never blank)
 * @param k results per page
 * @param offset results skipped
 * @param mode how the text is matched
 * @param filters filters, applied inside the kNN query and to BM25
 * @param options sort, cursor and facets
 * @param fusion the request's override of the index's fusion settings (hybrid)
 */
public record SearchQuery(
    String text,
    int k,
    int offset,
    SearchMode mode,
    SearchFilters filters,
    ResultOptions options,
    FusionOverride fusion) {

  public SearchQuery {
    options = options == null ? ResultOptions.DEFAULT : options;
    fusion = fusion == null ? FusionOverride.NONE : fusion;
  }

  /** A query in relevance order without cursor or facets, fused as the index says. */
  public SearchQuery(String text, int k, int offset, SearchMode mode, SearchFilters filters) {
    this(text, k, offset, mode, filters, ResultOptions.DEFAULT, FusionOverride.NONE);
  }

  /** A query fused as the index says. */
  public SearchQuery(
      String text,
      int k,
      int offset,
      SearchMode mode,
      SearchFilters filters,
      ResultOptions options) {
    this(text, k, offset, mode, filters, options, FusionOverride.NONE);
  }

  /** The same query in another mode. */
  public SearchQuery withMode(SearchMode other) {
    return new SearchQuery(text, k, offset, other, filters, options, fusion);
  }

  /**
   * Validates the raw fusion parameters of a request.
   *
   * @throws InvalidRequestException naming the parameter, the limit and the value
   */
  public static FusionOverride fusion(
      String fusion, Double vectorWeight, Double lexicalWeight, Integer rrfK) {
    return fusion(fusion, vectorWeight, lexicalWeight, null, rrfK);
  }

  /**
   * Validates the raw fusion parameters of a request, the semantic list's weight included.
   *
   * @throws InvalidRequestException naming the parameter, the limit and the value
   */
  public static FusionOverride fusion(
      String fusion,
      Double vectorWeight,
      Double lexicalWeight,
      Double semanticWeight,
      Integer rrfK) {
    try {
      return FusionOverride.of(fusion, vectorWeight, lexicalWeight, semanticWeight, rrfK);
    } catch (InvalidFusionException e) {
      throw new InvalidRequestException(e.parameter(), e.getMessage());
    }
  }

  /**
   * Validates raw parameters against the configured limits.
   *
   * @param fusion the request's fusion override, already validated
   * @throws InvalidRequestException naming the parameter, the limit and the value
   */
  public static SearchQuery of(
      String q,
      Integer k,
      Integer offset,
      String mode,
      SearchFilters filters,
      SearchProperties limits) {
    return of(q, k, offset, mode, filters, ResultOptions.DEFAULT, FusionOverride.NONE, limits);
  }

  /**
   * Validates raw parameters against the configured limits.
   *
   * @throws InvalidRequestException naming the parameter, the limit and the value
   */
  public static SearchQuery of(
      String q,
      Integer k,
      Integer offset,
      String mode,
      SearchFilters filters,
      ResultOptions options,
      FusionOverride fusion,
      SearchProperties limits) {
    if (q == null || q.isBlank()) {
      throw new InvalidRequestException("q", "q must not be empty");
    }
    if (q.length() > limits.maxQueryLength()) {
      throw new InvalidRequestException(
          "q",
          String.format(
              Locale.ROOT,
              "q must be at most %d characters; got %d",
              limits.maxQueryLength(),
              q.length()));
    }
    String text = QueryEmbedder.normalise(q);
    if (text.isEmpty()) {
      throw new InvalidRequestException("q", "q must not be empty");
    }
    return new SearchQuery(
        text,
        checkK(k, limits),
        checkOffset(offset, limits),
        modeOrDefault(mode, limits),
        filters == null ? SearchFilters.NONE : filters,
        options,
        fusion);
  }

  /** Validates {@code k} (null = configured default). */
  public static int checkK(Integer k, SearchProperties limits) {
    int value = k == null ? limits.defaultK() : k;
    if (value < 1 || value > limits.maxK()) {
      throw new InvalidRequestException(
          "k", String.format(Locale.ROOT, "k must be in [1, %d]; got %d", limits.maxK(), value));
    }
    return value;
  }

  /** Validates {@code offset} (null = 0). */
  public static int checkOffset(Integer offset, SearchProperties limits) {
    int value = offset == null ? 0 : offset;
    if (value < 0 || value > limits.maxOffset()) {
      throw new InvalidRequestException(
          "offset",
          String.format(
              Locale.ROOT, "offset must be in [0, %d]; got %d", limits.maxOffset(), value));
    }
    return value;
  }

  private static SearchMode modeOrDefault(String mode, SearchProperties limits) {
    SearchMode parsed = SearchMode.parse(mode);
    return parsed != null ? parsed : limits.defaultMode();
  }
}
