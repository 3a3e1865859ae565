package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.io.IOException;
import java.util.Locale;

/**
 * The sort key of every product of a {@link MatchSet}: its sort value (relevance, price from the
 * {@link IndexSchema#PRICE} doc values, catalog row from {@link IndexSchema#CATALOG_ROW}) and its
 * product id (tie-break, from the {@link IndexSchema#PRODUCT_ID} doc values). Stateless.
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
   * Loads the keys of a match set for an order.
   *
   * @throws InvalidRequestException naming {@code sort} when the index has no catalog order
   */
  static Key[] load(ProductIndexView view, MatchSet m, SortOrder sort) throws IOException {
    SortField field =
        switch (sort) {
          case RELEVANCE -> SortField.NONE;
          case PRICE_ASC, PRICE_DESC -> SortField.PRICE;
          case NEWEST -> SortField.CATALOG_ROW;
        };
    if (sort == SortOrder.NEWEST && m.size() > 0 && !view.hasSortField(field)) {
      throw new InvalidRequestException(
          "sort",
          String.format(
              Locale.ROOT,
              "sort=newest needs the catalog order, which index generation %d does not have (built"
                  + " before schema version 3); rebuild the index, or use one of relevance,"
                  + " price_asc, price_desc",
              view.generation()));
    }
    SortValues values = view.sortValues(m.docs(), field);
    Key[] keys = new Key[m.size()];
    for (int i = 0; i < keys.length; i++) {
      double relevance = m.relevance()[i];
      if (field == SortField.NONE) {
        keys[i] = new Key(m.docs()[i], relevance, false, relevance, values.ids()[i]);
      } else if (values.missing()[i]) {
        keys[i] = new Key(m.docs()[i], relevance, true, 0, values.ids()[i]);
      } else {
        keys[i] = new Key(m.docs()[i], relevance, false, values.values()[i], values.ids()[i]);
      }
    }
    return keys;
  }

  /** Compares two positions in the order of {@code sort}: negative when {@code a} comes first. */
  static int compare(
      SortOrder sort,
      boolean missingA,
      double a,
      String idA,
      boolean missingB,
      double b,
      String idB) {
    if (missingA != missingB) {
      return missingA ? 1 : -1;
    }
    if (!missingA) {
      int c = sort == SortOrder.PRICE_ASC ? Double.compare(a, b) : Double.compare(b, a);
      if (c != 0) {
        return c;
      }
    }
    return idA.compareTo(idB);
  }
}
