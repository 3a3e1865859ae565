package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads every product of a generation index, one page at a time: sorted by {@link
 * IndexSchema#PRODUCT_ID} (unique), each page continuing after the last one with {@code
 * search_after} — what OpenSearch recommends for deep paging; a generation index is not written
 * once published, so no point in time is needed — and {@code _source} limited to the fields asked
 * for. The one paging loop of the update's content hashes, the verifier's vectors, the audit's
 * products and the suggester's labels.
 */
final class SourcePages {
  private SourcePages() {}

  /**
   * Calls {@code hit} with every product's hit ({@code _id}, {@code _source} with {@code fields}),
   * in product id order.
   *
   * @param search runs one search body against the index and returns the answer
   * @param pageSize products per request
   */
  static void forEach(
      Function<ObjectNode, JsonNode> search,
      int pageSize,
      List<String> fields,
      Consumer<JsonNode> hit) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be >= 1; pageSize=" + pageSize);
    }
    JsonNode after = null;
    while (true) {
      ObjectNode body = EngineClient.json().createObjectNode();
      body.put("size", pageSize);
      body.put("track_total_hits", false);
      ArrayNode source = body.putArray("_source");
      fields.forEach(source::add);
      body.putArray("sort").addObject().put(IndexSchema.PRODUCT_ID, "asc");
      if (after != null) {
        body.putArray("search_after").add(after);
      }
      JsonNode hits = search.apply(body).path("hits").path("hits");
      hits.forEach(hit);
      if (hits.size() < pageSize) {
        return;
      }
      after = hits.get(hits.size() - 1).path("sort").path(0);
    }
  }
}
