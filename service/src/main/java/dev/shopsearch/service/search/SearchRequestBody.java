package dev.shopsearch.service.search;

import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.List;
import java.util.Map;

/**
 * JSON body of {@code POST /v1/search}; the same fields as the GET parameters. An unknown field
 * (here or in {@code filters}) is a 400 naming it.
 *
 * @param q query text
 * @param k results per page
 * @param offset results skipped
 * @param mode {@code vector}, {@code hybrid} or {@code lexical}
 * @param filters optional filters
 * @param sort {@code relevance} (default), {@code price_asc}, {@code price_desc}, {@code newest}
 * @param cursor the {@code nextCursor} of the previous page
 * @param facets whether to count facets
 * @param fusion {@code rrf} or {@code score} (hybrid; default: the index's calibrated strategy)
 * @param vectorWeight weight of the kNN list, 0-100
 * @param lexicalWeight weight of the BM25 list, 0-100
 * @param semanticWeight weight of the semantic list, 0-100 (0 turns it off)
 * @param rrfK RRF constant, 1-10000
 */
public record SearchRequestBody(
    String q,
    Integer k,
    Integer offset,
    String mode,
    Filters filters,
    String sort,
    String cursor,
    Boolean facets,
    String fusion,
    Double vectorWeight,
    Double lexicalWeight,
    Double semanticWeight,
    Integer rrfK) {

  /** A body without sort, cursor, facets or fusion overrides. */
  public SearchRequestBody(String q, Integer k, Integer offset, String mode, Filters filters) {
    this(q, k, offset, mode, filters, null, null, null, null, null, null, null, null);
  }

  /** The validated sort, cursor and facets flag. */
  public ResultOptions options() {
    return ResultOptions.of(sort, cursor, facets, offset);
  }

  /**
   * @param category category paths (any matches)
   * @param colour colours (any matches); also accepted as {@code color}
   * @param minPrice inclusive lower bound
   * @param maxPrice inclusive upper bound
   * @param inStock stock flag
   * @param attributes attribute name → accepted values
   */
  public record Filters(
      List<String> category,
      @JsonAlias("color") List<String> colour,
      Double minPrice,
      Double maxPrice,
      Boolean inStock,
      Map<String, List<String>> attributes) {

    /** Validated filters. */
    public SearchFilters validated() {
      return SearchFilters.of(category, colour, minPrice, maxPrice, inStock, attributes);
    }
  }
}
