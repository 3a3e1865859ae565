package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.core.search.SortedKeys;
import java.util.List;

/**
 * One page of a field-sorted set of products, sorted by the engine: an {@code ids} query of the
 * set, {@code sort} on the field's doc values ({@code missing: _last}) then {@code product_id}
 * ascending, {@code search_after} the cursor, {@code size} the page. The order is core's {@link
 * SortedKeys#compare} (products without a value last in both directions, equal values by product
 * id), so pages and cursors are the embedded backend's. Only the page's sort values come back, no
 * {@code _source}.
 *
 * <p>The engine gives a product without a value the sort value {@code missing: _last} stands for:
 * {@code +/-Infinity} for the {@code double} price, {@code Long.MAX_VALUE}/{@code MIN_VALUE} for
 * the {@code long} catalog row (ascending/descending); a cursor at such a product resumes after the
 * same value. Product ids compare by their UTF-8 bytes in the engine and by UTF-16 units in {@link
 * SortedKeys#compare}: the same order for ids without characters above U+FFFF mixed with
 * U+E000–U+FFFF.
 */
final class SortedPage {
  private SortedPage() {}

  /** The doc-values field of {@code field}. */
  static String fieldName(SortField field) {
    return switch (field) {
      case PRICE -> IndexSchema.PRICE;
      case CATALOG_ROW -> IndexSchema.CATALOG_ROW;
      case NONE -> throw new IllegalArgumentException("a sorted page needs a sort field, not NONE");
    };
  }

  /**
   * The search body of the first {@code size} of the products {@code ids} strictly after {@code
   * after} (null: from the start).
   */
  static ObjectNode body(
      List<String> ids, SortField field, boolean descending, SortPosition after, int size) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", size);
    body.put("_source", false);
    body.put("track_total_hits", false);
    ArrayNode values = body.putObject("query").putObject("ids").putArray("values");
    ids.forEach(values::add);
    ArrayNode sort = body.putArray("sort");
    sort.addObject()
        .putObject(fieldName(field))
        .put("order", descending ? "desc" : "asc")
        .put("missing", "_last")
        .put("unmapped_type", field == SortField.PRICE ? "double" : "long");
    sort.addObject().putObject(IndexSchema.PRODUCT_ID).put("order", "asc");
    if (after != null) {
      ArrayNode searchAfter = body.putArray("search_after");
      if (field == SortField.PRICE) {
        if (after.missing()) {
          searchAfter.add(descending ? "-Infinity" : "Infinity");
        } else {
          searchAfter.add(after.value());
        }
      } else if (after.missing()) {
        searchAfter.add(descending ? Long.MIN_VALUE : Long.MAX_VALUE);
      } else {
        searchAfter.add((long) after.value());
      }
      searchAfter.add(after.productId());
    }
    return body;
  }

  /**
   * The hits of an answer to {@link #body}: product ids, values and which have none, in the
   * engine's order.
   */
  static SortValues read(JsonNode answer, SortField field, boolean descending) {
    JsonNode hits = answer.path("hits").path("hits");
    String[] ids = new String[hits.size()];
    double[] values = new double[hits.size()];
    boolean[] missing = new boolean[hits.size()];
    for (int i = 0; i < ids.length; i++) {
      JsonNode hit = hits.get(i);
      ids[i] = hit.path("_id").asText();
      JsonNode v = hit.path("sort").path(0);
      missing[i] = isMissing(v, field, descending);
      values[i] = missing[i] ? 0 : v.asDouble();
    }
    return new SortValues(ids, values, missing);
  }

  private static boolean isMissing(JsonNode v, SortField field, boolean descending) {
    if (field == SortField.PRICE) {
      // a double's missing value comes back as the text "Infinity" / "-Infinity"
      return v.isTextual() || v.isNull() || Double.isInfinite(v.asDouble());
    }
    long sentinel = descending ? Long.MIN_VALUE : Long.MAX_VALUE;
    return v.isNull() || (v.isIntegralNumber() && v.asLong() == sentinel);
  }
}
