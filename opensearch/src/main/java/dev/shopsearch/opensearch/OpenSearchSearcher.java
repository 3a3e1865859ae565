package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Queries the published generation (through the alias).
 *
 * <ul>
 *   <li>{@link #knn}: a {@code nested} query (score mode max) around a {@code knn} clause on {@link
 *       IndexMapping#VECTOR_FIELD} with the filters <em>inside</em> the knn clause, so they
 *       pre-filter the graph search (they name product-level fields: the k-NN plugin joins a parent
 *       filter down to the images, as the embedded backend's block join does) (a filter outside
 *       would post-filter the k nearest and return fewer than k). The Lucene engine diversifies
 *       nested kNN by parent, so each product appears once; its best image comes back in {@code
 *       inner_hits}. {@code candidates} becomes the query's {@code method_parameters.ef_search}
 *       (the engine explores {@code max(k, ef_search)}).
 *   <li>{@link #bm25}: {@code multi_match} over the same analysed fields as the embedded backend
 *       (name, description, category text) with the filters as a bool filter.
 * </ul>
 */
public final class OpenSearchSearcher {
  /** Largest page and candidate list a caller may ask for. */
  public static final int MAX_K = 1000;

  public static final int MAX_CANDIDATES = 10_000;

  private final EngineClient client;
  private final String alias;

  public OpenSearchSearcher(EngineClient client, String alias) {
    this.client = client;
    this.alias = alias;
  }

  /**
   * The {@code k} products whose best image is nearest to {@code vector}, among those passing
   * {@code filters}.
   *
   * @throws IllegalArgumentException when {@code k} or {@code candidates} is out of range
   */
  public List<SearchHit> knn(float[] vector, SearchFilters filters, int k, int candidates) {
    checkK(k);
    if (candidates < k || candidates > MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "candidates must be in [k, %d]; candidates=%d k=%d",
              MAX_CANDIDATES,
              candidates,
              k));
    }
    ObjectNode body =
        knnBody(vector, filters.isEmpty() ? null : filters.toQuery(""), k, candidates);
    return hits(client.call("POST", "/" + alias + "/_search", body), true);
  }

  /** The {@code k} best BM25 matches of {@code text} among products passing {@code filters}. */
  public List<SearchHit> bm25(String text, SearchFilters filters, int k) {
    checkK(k);
    ObjectNode body = bm25Body(text, filters.isEmpty() ? null : filters.toQuery(""), k);
    return hits(client.call("POST", "/" + alias + "/_search", body), false);
  }

  /**
   * The body of a nested kNN search: {@code k} products, {@code ef_search = candidates}, the filter
   * (or none) inside the knn clause, the best image in {@code inner_hits}.
   */
  static ObjectNode knnBody(float[] vector, ObjectNode filter, int k, int candidates) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", k);
    body.putArray("_source").add(IndexSchema.PRODUCT_ID);
    ObjectNode nested = body.putObject("query").putObject("nested");
    nested.put("path", IndexMapping.IMAGES);
    nested.put("score_mode", "max");
    ObjectNode knn =
        nested.putObject("query").putObject("knn").putObject(IndexMapping.VECTOR_FIELD);
    ArrayNode v = knn.putArray("vector");
    for (float f : vector) {
      v.add(f);
    }
    knn.put("k", k);
    knn.putObject("method_parameters").put("ef_search", candidates);
    if (filter != null) {
      knn.set("filter", filter);
    }
    ObjectNode inner = nested.putObject("inner_hits");
    inner.put("size", 1);
    inner.putArray("_source").add(IndexMapping.IMAGES + "." + IndexMapping.IMAGE_REF);
    return body;
  }

  /** The body of a BM25 search: {@code size} best matches, the filter (or none) as bool filter. */
  static ObjectNode bm25Body(String text, ObjectNode filter, int size) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", size);
    body.putArray("_source").add(IndexSchema.PRODUCT_ID);
    ObjectNode bool = body.putObject("query").putObject("bool");
    ObjectNode match = bool.putArray("must").addObject().putObject("multi_match");
    match.put("query", text);
    match
        .putArray("fields")
        .add(IndexSchema.NAME)
        .add(IndexSchema.DESCRIPTION)
        .add(IndexSchema.CATEGORIES_TEXT);
    if (filter != null) {
      bool.putArray("filter").add(filter);
    }
    return body;
  }

  private static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "]; k=" + k);
    }
  }

  static List<SearchHit> hits(JsonNode answer, boolean withImage) {
    List<SearchHit> out = new ArrayList<>();
    for (JsonNode h : answer.path("hits").path("hits")) {
      String image = null;
      if (withImage) {
        JsonNode best = h.path("inner_hits").path(IndexMapping.IMAGES).path("hits").path("hits");
        if (best.size() > 0) {
          image = best.get(0).path("_source").path(IndexMapping.IMAGE_REF).asText(null);
        }
      }
      out.add(
          new SearchHit(
              h.path("_source").path(IndexSchema.PRODUCT_ID).asText(),
              h.path("_score").asDouble(),
              image));
    }
    return out;
  }
}
