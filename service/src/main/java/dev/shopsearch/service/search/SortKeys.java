package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortedKeys;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.io.IOException;
import java.util.Locale;

/**
 * The sort key of a product of a {@link MatchSet}: its sort value (relevance, price from the {@link
 * IndexSchema#PRICE} doc values, catalog row from {@link IndexSchema#CATALOG_ROW}) and its product
 * id (tie-break, from the {@link IndexSchema#PRODUCT_ID} doc values), and the order of keys.
 * Stateless.
 */
final class SortKeys {
  private SortKeys() {}

  /**
   * One product's key.
   *
   * @param doc parent doc id
   * @param relevance relevance score
   * @param missing whether the product has no sort value
   * @param value the sort value
   * @param id product id
   */
  record Key(int doc, double relevance, boolean missing, double value, String id) {}

  /**
   * Checks that the index can give the order.
   *
   * @throws InvalidRequestException naming {@code sort} when the index has no catalog order
   */
  static void requireOrder(ProductIndexView view, MatchSet m, SortOrder sort) throws IOException {
    if (sort == SortOrder.NEWEST && m.size() > 0 && !view.hasSortField(SortField.CATALOG_ROW)) {
      throw new InvalidRequestException(
          "sort",
          String.format(
              Locale.ROOT,
              "sort=newest needs the catalog order, which index generation %d does not have (built"
                  + " before schema version 3); rebuild the index, or use one of relevance,"
                  + " price_asc, price_desc",
              view.generation()));
    }
  }

  /**
   * Compares two positions in the order of {@code sort}: negative when {@code a} comes first. The
   * backends' order ({@link SortedKeys#compare}): relevance, price_desc and newest descending,
   * price_asc ascending.
   */
  static int compare(
      SortOrder sort,
      boolean missingA,
      double a,
      String idA,
      boolean missingB,
      double b,
      String idB) {
    return SortedKeys.compare(sort != SortOrder.PRICE_ASC, missingA, a, idA, missingB, b, idB);
  }
}
