package dev.shopsearch.service.search;

import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;

/**
 * The filter query parameters of {@code GET /v1/search}, {@code GET /v1/products/{id}/similar} and
 * {@code POST /v1/search/image}, bound once from the query string (a handler takes it as a
 * {@code @ParameterObject}); every one is optional. A value of the wrong type is a 400 naming the
 * parameter, as for any query parameter.
 *
 * @param category category paths (any matches)
 * @param colour colours (any matches); also accepted as {@code color}
 * @param minPrice inclusive lower price bound
 * @param maxPrice inclusive upper price bound
 * @param inStock stock flag
 * @param attr attribute filters {@code name:value}, repeatable
 */
public record FilterParams(
    List<String> category,
    List<String> colour,
    Double minPrice,
    Double maxPrice,
    Boolean inStock,
    @Parameter(description = "attribute filter name:value, repeatable") List<String> attr) {

  /**
   * Validated, normalised filters.
   *
   * @throws dev.shopsearch.service.problem.InvalidRequestException naming the bad filter
   */
  public SearchFilters validated() {
    return SearchFilters.of(
        category, colour, minPrice, maxPrice, inStock, SearchFilters.parseAttributes(attr));
  }
}
