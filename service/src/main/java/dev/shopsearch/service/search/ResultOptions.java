package dev.shopsearch.service.search;

import dev.shopsearch.service.problem.InvalidRequestException;

/**
 * How a result list is ordered, where a page starts and what comes with it.
 *
 * @param sort the order
 * @param cursor the {@code nextCursor} of the previous page (opaque; checked against the query when
 *     the search runs), or null
 * @param facets whether to count facets over the match set
 */
public record ResultOptions(SortOrder sort, String cursor, boolean facets) {
  /** OpenAPI description of {@code sort}. */
  public static final String SORT_DOC =
      "relevance (default), price_asc, price_desc or newest (highest catalog row first);"
          + " ties by product id";

  /** OpenAPI description of {@code cursor}. */
  public static final String CURSOR_DOC =
      "nextCursor of the previous page (opaque): the page after it, as deep as the match set;"
          + " offset must then be 0 or absent";

  /** OpenAPI description of {@code facets}. */
  public static final String FACETS_DOC =
      "true: count category, colour, price, stock and attribute facets over the match set"
          + " (each facet ignores its own selection)";

  /** Relevance order, from the offset, no facets. */
  public static final ResultOptions DEFAULT = new ResultOptions(SortOrder.RELEVANCE, null, false);

  public ResultOptions {
    sort = sort == null ? SortOrder.RELEVANCE : sort;
    cursor = cursor == null || cursor.isBlank() ? null : cursor;
  }

  /**
   * Validates raw parameters.
   *
   * @param offset the request's offset (a cursor replaces it: both together are refused)
   * @throws InvalidRequestException naming {@code sort} (with the accepted values) or {@code
   *     offset}
   */
  public static ResultOptions of(String sort, String cursor, Boolean facets, Integer offset) {
    ResultOptions o = new ResultOptions(SortOrder.parse(sort), cursor, Boolean.TRUE.equals(facets));
    if (o.cursor() != null && offset != null && offset != 0) {
      throw new InvalidRequestException(
          "offset",
          "offset must be 0 or absent with a cursor (the cursor says where the page starts); got "
              + offset);
    }
    return o;
  }
}
