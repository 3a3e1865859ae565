package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalQuery;
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
 *   <li>{@link #bm25}: core's {@link LexicalQuery} (the same fields, boosts and analysis as the
 *       embedded backend, {@link LexicalAnalysers}) with the filters as a bool filter, over the
 *       index's BM25 statistics ({@value #LEXICAL_SEARCH_TYPE}).
 * </ul>
 */
public final class OpenSearchSearcher {
  /** Largest page and candidate list a caller may ask for. */
  public static final int MAX_K = 1000;

  public static final int MAX_CANDIDATES = 10_000;

  /**
   * The search type of BM25 searches: a first round trip gathers the term and field statistics of
   * every shard, so a product scores as it would in one index (as in the embedded backend) however
   * the generation is sharded.
   */
  public static final String LEXICAL_SEARCH_TYPE = "dfs_query_then_fetch";

  /** The image reference's full path (inner hits name fields by it). */
  static final String IMAGE_REF_FIELD = IndexMapping.IMAGES + "." + IndexMapping.IMAGE_REF;

  private final EngineClient client;
  private final String alias;
  private final KnnRescore rescore;

  /**
   * A searcher of a full-precision (float) generation. Searchers read the best image from doc
   * values: they search generations mapped by this version ({@link IndexMapping}).
   */
  public OpenSearchSearcher(EngineClient client, String alias) {
    this(client, alias, KnnRescore.NONE);
  }

  /**
   * @param rescore the published generation's rescoring ({@link KnnRescore#of} its metadata)
   */
  public OpenSearchSearcher(EngineClient client, String alias, KnnRescore rescore) {
    this.client = client;
    this.alias = alias;
    this.rescore = java.util.Objects.requireNonNull(rescore, "rescore");
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
        knnBody(
            vector, filters.isEmpty() ? null : filters.toQuery(""), k, candidates, rescore, true);
    return hits(client.call("POST", "/" + alias + "/_search", body), true);
  }

  /** The {@code k} best BM25 matches of {@code text} among products passing {@code filters}. */
  public List<SearchHit> bm25(String text, SearchFilters filters, int k) {
    checkK(k);
    ObjectNode body = bm25Body(text, filters.isEmpty() ? null : filters.toQuery(""), k);
    return hits(
        client.call("POST", "/" + alias + "/_search?search_type=" + LEXICAL_SEARCH_TYPE, body),
        false);
  }

  /**
   * The body of a nested kNN search: {@code k} products, {@code ef_search = candidates}, the filter
   * (or none) inside the knn clause, the best image in {@code inner_hits}. With an active {@code
   * rescore} the graph search collects {@code k} and {@code ef_search} widened by its oversampling,
   * with every image of those products, and each image is scored at full precision ({@link
   * KnnRescore}).
   */
  static ObjectNode knnBody(
      float[] vector,
      ObjectNode filter,
      int k,
      int candidates,
      KnnRescore rescore,
      boolean refDocValues) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", k);
    int window = rescore.widened(k, MAX_CANDIDATES);
    int beam = rescore.widened(candidates, MAX_CANDIDATES);
    body.put("_source", false);
    ObjectNode nested = body.putObject("query").putObject("nested");
    nested.put("path", IndexMapping.IMAGES);
    nested.put("score_mode", "max");
    ObjectNode knnQuery = EngineClient.json().createObjectNode();
    ObjectNode knn = knnQuery.putObject("knn").putObject(IndexMapping.VECTOR_FIELD);
    ArrayNode v = knn.putArray("vector");
    for (float f : vector) {
      v.add(f);
    }
    knn.put("k", window);
    knn.putObject("method_parameters").put("ef_search", beam);
    if (filter != null) {
      knn.set("filter", filter);
    }
    if (rescore.active()) {
      knn.put("expand_nested_docs", true);
      nested.set("query", rescore.exactScore(knnQuery, vector, IndexMapping.VECTOR_FIELD));
    } else {
      nested.set("query", knnQuery);
    }
    ObjectNode inner = nested.putObject("inner_hits");
    inner.put("size", 1);
    if (refDocValues) {
      inner.put("_source", false);
      inner.putArray("docvalue_fields").add(IMAGE_REF_FIELD);
    } else {
      inner.putArray("_source").add(IMAGE_REF_FIELD);
    }
    return body;
  }

  /**
   * The body of the semantic list's search: a top-level {@code knn} on {@link
   * IndexMapping#TEXT_VECTOR_FIELD} for {@code k} products, {@code ef_search = candidates}, the
   * filter (or none) inside the knn clause (a pre-filter over product-level fields); widened and
   * rescored at full precision like {@link #knnBody} when {@code rescore} is active.
   */
  static ObjectNode textKnnBody(
      float[] vector, ObjectNode filter, int k, int candidates, KnnRescore rescore) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", k);
    int window = rescore.widened(k, MAX_CANDIDATES);
    int beam = rescore.widened(candidates, MAX_CANDIDATES);
    body.put("_source", false);
    ObjectNode knn =
        body.putObject("query").putObject("knn").putObject(IndexMapping.TEXT_VECTOR_FIELD);
    ArrayNode v = knn.putArray("vector");
    for (float f : vector) {
      v.add(f);
    }
    knn.put("k", window);
    knn.putObject("method_parameters").put("ef_search", beam);
    if (filter != null) {
      knn.set("filter", filter);
    }
    if (rescore.active()) {
      rescore.addTo(body, vector, IndexMapping.TEXT_VECTOR_FIELD, window);
    }
    return body;
  }

  /**
   * The body of a BM25 search: {@code size} best matches, the filter (or none) as bool filter. The
   * query is core's {@link LexicalQuery}: one {@code match} (OR of the analysed terms) per field of
   * {@link LexicalQuery#fields}, with its boost, the scores summed ({@code bool.should}, at least
   * one matching). Run it with {@link #LEXICAL_SEARCH_TYPE} so that BM25's statistics are the
   * index's, not each shard's. Equal scores come in the engine's document order.
   */
  static ObjectNode bm25Body(String text, ObjectNode filter, int size) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", size);
    body.put("_source", false);
    ObjectNode bool = body.putObject("query").putObject("bool");
    ObjectNode fields = bool.putArray("must").addObject().putObject("bool");
    ArrayNode should = fields.putArray("should");
    for (LexicalQuery.Boosted f : LexicalQuery.fields(text)) {
      ObjectNode match = should.addObject().putObject("match").putObject(f.field());
      match.put("query", text);
      match.put("boost", f.boost());
    }
    fields.put("minimum_should_match", 1);
    if (filter != null) {
      bool.putArray("filter").add(filter);
    }
    // equal scores in catalog order, as the embedded backend orders them (core LexicalTies)
    ArrayNode sort = body.putArray("sort");
    sort.addObject().put("_score", "desc");
    sort.addObject()
        .putObject(IndexSchema.CATALOG_ROW)
        .put("order", "asc")
        .put("missing", "_last")
        .put("unmapped_type", "long");
    body.put("track_scores", true);
    return body;
  }

  private static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "]; k=" + k);
    }
  }

  /**
   * The hits of an answer: the product id is the document's {@code _id} (the indexer writes each
   * product under its id), so no hit reads its {@code _source}, which carries every vector; the
   * best image from the inner hit's doc values, or its {@code _source} for a generation without.
   */
  static List<SearchHit> hits(JsonNode answer, boolean withImage) {
    List<SearchHit> out = new ArrayList<>();
    for (JsonNode h : answer.path("hits").path("hits")) {
      String image = null;
      if (withImage) {
        JsonNode best = h.path("inner_hits").path(IndexMapping.IMAGES).path("hits").path("hits");
        if (best.size() > 0) {
          JsonNode b = best.get(0);
          JsonNode fromDocValues = b.path("fields").path(IMAGE_REF_FIELD).path(0);
          image =
              fromDocValues.isTextual()
                  ? fromDocValues.asText()
                  : b.path("_source").path(IndexMapping.IMAGE_REF).asText(null);
        }
      }
      out.add(new SearchHit(h.path("_id").asText(), h.path("_score").asDouble(), image));
    }
    return out;
  }
}
