package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.SpellingWords;
import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductCard;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.ProductLabels;
import dev.shopsearch.core.search.RankedProducts;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.core.search.SortedKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The OpenSearch backend's {@link ProductIndexView}: every call goes to one concrete generation
 * index (resolved from the alias when the view was acquired, so an alias swap during a request is
 * not seen). Product keys are ordinals assigned in the order products first appear in this view;
 * image keys likewise index the best-image references seen.
 *
 * <ul>
 *   <li>kNN: nested {@code knn} with the filters inside ({@link OpenSearchSearcher#knnBody}),
 *       {@code k = ef_search = candidates}; the excluded product as a {@code must_not} inside the
 *       filter;
 *   <li>BM25: core's {@link dev.shopsearch.core.index.LexicalQuery} ({@link
 *       OpenSearchSearcher#bm25Body}) over the index's statistics ({@link
 *       OpenSearchSearcher#LEXICAL_SEARCH_TYPE}), at most {@link #MAX_LEXICAL} matches (the index's
 *       {@code max_result_window});
 *   <li>facets: {@code terms} / {@code range} aggregations over an {@code ids} query of the keys;
 *       pages of a price / newest sort: sorted by the engine ({@link SortedPage}); cards: the
 *       {@code _source} of an {@code ids} query;
 *   <li>deadline: every search carries the time left ({@code timeout}); a search answered with
 *       {@code timed_out} (partial results) is refused, and a call with no time left is not made
 *       ({@link BackendUnavailableException}, as is an unreachable or 5xx engine).
 * </ul>
 *
 * Spelling: {@link #correctSpelling} through the term suggester over {@link IndexSchema#SPELLING}.
 * One request thread at a time.
 */
public final class OpenSearchIndexView implements ProductIndexView {
  /**
   * Candidates each shard's term suggester returns: the merged best is chosen over their summed
   * document frequencies, not one shard's.
   */
  static final int SPELLING_SHARD_SIZE = 20;

  /** Most BM25 matches one lexical list holds (OpenSearch's default {@code max_result_window}). */
  public static final int MAX_LEXICAL = 10_000;

  /** Products a page of {@link #forEachLabels}. */
  static final int LABELS_PAGE = 1000;

  private final EngineClient client;
  private final String index;
  private final IndexMetadata metadata;
  private final List<String> attributes;
  private final boolean textVectors;
  private final boolean refDocValues;
  private final SpellingCache spelling;
  private final LongSupplier remainingNanos;
  private final KnnRescore rescore;
  private final List<String> ids = new ArrayList<>();
  private final Map<String, Integer> keys = new HashMap<>();
  private final List<String> images = new ArrayList<>();

  /**
   * @param index the concrete generation index
   * @param attributes the attribute names of its mapping, sorted
   * @param textVectors whether its products carry text vectors ({@link #hasTextVectors})
   * @param refDocValues whether its image references have doc values ({@link
   *     IndexMapping#imageRefDocValues})
   * @param spelling what its spelling vocabulary said so far ({@link #correctSpelling}), or null
   *     when its mapping has none
   * @param remainingNanos the request's time left
   */
  OpenSearchIndexView(
      EngineClient client,
      String index,
      IndexMetadata metadata,
      List<String> attributes,
      boolean textVectors,
      boolean refDocValues,
      SpellingCache spelling,
      LongSupplier remainingNanos) {
    this.client = client;
    this.index = index;
    this.metadata = metadata;
    this.attributes = List.copyOf(attributes);
    this.textVectors = textVectors;
    this.refDocValues = refDocValues;
    this.spelling = spelling;
    this.remainingNanos = remainingNanos;
    this.rescore = KnnRescore.of(metadata);
  }

  /** The concrete index this view searches. */
  public String index() {
    return index;
  }

  @Override
  public long generation() {
    return metadata.generation();
  }

  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  @Override
  public List<String> attributes() {
    return attributes;
  }

  /**
   * Core's {@link SpellingWords} policy, the vocabulary looked up in one search: a {@code filters}
   * aggregation says which words {@link IndexSchema#SPELLING} holds (a known word is kept), a
   * {@code term} suggester per word ({@code suggest_mode: missing}, the same edits, prefix, minimum
   * length and accuracy as the embedded corrector, best score then document frequency; shard
   * answers merged, their frequencies summed) gives the replacement of an unknown one. The answers
   * are remembered per generation ({@link SpellingCache}): a query whose words were all seen before
   * costs no call. When {@code searchNew} is false (a request short of time) only remembered
   * answers are used, as in the embedded backend. Empty when the generation has no spelling field.
   */
  @Override
  public Optional<String> correctSpelling(String text, boolean searchNew) {
    if (spelling == null) {
      return Optional.empty();
    }
    List<SpellingWords.Word> words = SpellingWords.words(text);
    Map<String, String> fixes = new HashMap<>();
    List<String> unseen = new ArrayList<>();
    for (SpellingWords.Word w : words) {
      String known = spelling.get(w.term());
      if (known == null) {
        if (!unseen.contains(w.term())) {
          unseen.add(w.term());
        }
      } else if (!known.isEmpty()) {
        fixes.put(w.term(), known);
      }
    }
    if (searchNew && !unseen.isEmpty()) {
      lookUp(unseen)
          .forEach(
              (word, fix) -> {
                spelling.put(word, fix);
                if (!fix.isEmpty()) {
                  fixes.put(word, fix);
                }
              });
    }
    return SpellingWords.rewrite(text, words, fixes::get);
  }

  /** Each word's correction, {@code ""} for a known word or one without a correction. */
  private Map<String, String> lookUp(List<String> distinct) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 0);
    ObjectNode known =
        body.putObject("aggs").putObject("known").putObject("filters").putObject("filters");
    ObjectNode suggest = body.putObject("suggest");
    for (int i = 0; i < distinct.size(); i++) {
      String word = distinct.get(i);
      known.putObject("w" + i).putObject("term").put(IndexSchema.SPELLING, word);
      ObjectNode s = suggest.putObject("w" + i);
      s.put("text", word);
      ObjectNode term = s.putObject("term");
      term.put("field", IndexSchema.SPELLING);
      term.put("suggest_mode", "missing");
      term.put("max_edits", SpellingWords.maxEdits(word));
      term.put("prefix_length", SpellingWords.PREFIX_LENGTH);
      term.put("min_word_length", SpellingWords.MIN_LENGTH);
      term.put("accuracy", SpellingWords.ACCURACY);
      term.put("string_distance", "internal");
      term.put("sort", "score");
      term.put("size", 1);
      term.put("shard_size", SPELLING_SHARD_SIZE);
    }
    JsonNode answer = search(body);
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode buckets = answer.path("aggregations").path("known").path("buckets");
    for (int i = 0; i < distinct.size(); i++) {
      JsonNode options = answer.path("suggest").path("w" + i).path(0).path("options");
      boolean inVocabulary = buckets.path("w" + i).path("doc_count").asLong() > 0;
      out.put(
          distinct.get(i),
          inVocabulary || options.isEmpty() ? "" : options.get(0).path("text").asText());
    }
    return out;
  }

  @Override
  public RankedProducts knn(
      float[] vector, ProductFilters filters, String excludeProduct, int candidates) {
    checkCandidates(candidates);
    ObjectNode filter = filter(filters);
    if (excludeProduct != null) {
      if (filter == null) {
        filter = EngineClient.json().createObjectNode();
        filter.putObject("bool");
      }
      ((ObjectNode) filter.get("bool"))
          .putArray("must_not")
          .addObject()
          .putObject("term")
          .put(IndexSchema.PRODUCT_ID, excludeProduct);
    }
    JsonNode answer =
        search(
            OpenSearchSearcher.knnBody(
                vector, filter, candidates, candidates, rescore, refDocValues));
    return ranked(OpenSearchSearcher.hits(answer, true), true);
  }

  private static void checkCandidates(int candidates) {
    if (candidates < 1 || candidates > OpenSearchSearcher.MAX_CANDIDATES) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "candidates must be in [1, %d]; candidates=%d",
              OpenSearchSearcher.MAX_CANDIDATES,
              candidates));
    }
  }

  @Override
  public RankedProducts lexical(String text, ProductFilters filters) {
    ObjectNode body = OpenSearchSearcher.bm25Body(text, filter(filters), MAX_LEXICAL);
    return ranked(
        OpenSearchSearcher.hits(
            search(body, "?search_type=" + OpenSearchSearcher.LEXICAL_SEARCH_TYPE), false),
        false);
  }

  private static ObjectNode filter(ProductFilters filters) {
    SearchFilters f = SearchFilters.of(filters);
    return f.isEmpty() ? null : f.toQuery("");
  }

  private RankedProducts ranked(List<SearchHit> hits, boolean withImage) {
    int[] out = new int[hits.size()];
    Map<Integer, Float> scores = new HashMap<>();
    Map<Integer, Integer> best = new HashMap<>();
    int n = 0;
    for (SearchHit h : hits) {
      int key = key(h.productId());
      if (scores.containsKey(key)) {
        continue; // one hit per product, whatever the engine answers
      }
      out[n++] = key;
      scores.put(key, (float) h.score());
      if (withImage && h.bestImageRef() != null) {
        images.add(h.bestImageRef());
        best.put(key, images.size() - 1);
      }
    }
    return new RankedProducts(java.util.Arrays.copyOf(out, n), scores, best);
  }

  private int key(String productId) {
    return keys.computeIfAbsent(
        productId,
        id -> {
          ids.add(id);
          return ids.size() - 1;
        });
  }

  /**
   * Whether the generation's mapping has {@link IndexMapping#TEXT_VECTOR_FIELD} and some product
   * carries one (read once per generation by {@link OpenSearchBackend}).
   */
  @Override
  public boolean hasTextVectors() {
    return textVectors;
  }

  /**
   * A top-level {@code knn} on {@link IndexMapping#TEXT_VECTOR_FIELD} ({@link
   * OpenSearchSearcher#textKnnBody}): the filters inside the knn clause (a pre-filter, as the
   * embedded backend's), {@code k = ef_search = candidates}. Only products carry the field, so
   * every hit is a product. Empty when the generation has no text vectors.
   */
  @Override
  public RankedProducts semanticKnn(float[] vector, ProductFilters filters, int candidates) {
    if (!textVectors) {
      return RankedProducts.empty();
    }
    checkCandidates(candidates);
    JsonNode answer =
        search(
            OpenSearchSearcher.textKnnBody(
                vector, filter(filters), candidates, candidates, rescore));
    return ranked(OpenSearchSearcher.hits(answer, false), false);
  }

  @Override
  public boolean hasSortField(SortField field) {
    return switch (field) {
      case NONE, PRICE -> true;
      case CATALOG_ROW -> hasMappedField(IndexSchema.CATALOG_ROW);
    };
  }

  private boolean hasMappedField(String field) {
    JsonNode mapping;
    try {
      mapping = client.call("GET", "/" + index + "/_mapping/field/" + field, null);
    } catch (EngineException e) {
      throw unavailable(e);
    }
    return !mapping.path(index).path("mappings").path(field).isMissingNode();
  }

  @Override
  public SortValues sortValues(int[] keys, SortField field) {
    String[] out = new String[keys.length];
    double[] values = new double[keys.length];
    boolean[] missing = new boolean[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = ids.get(keys[i]);
    }
    if (field == SortField.NONE || keys.length == 0) {
      return new SortValues(out, values, missing);
    }
    String name = field == SortField.PRICE ? IndexSchema.PRICE : IndexSchema.CATALOG_ROW;
    Map<String, JsonNode> sources = sources(keys, List.of(name));
    for (int i = 0; i < keys.length; i++) {
      JsonNode v = sources.getOrDefault(out[i], EngineClient.json().missingNode()).path(name);
      if (v.isNumber() || v.isTextual()) {
        values[i] = v.asDouble();
      } else {
        missing[i] = true;
      }
    }
    return new SortValues(out, values, missing);
  }

  /**
   * A page of a field sort, sorted by the engine over the field's doc values ({@link SortedPage}):
   * only the page comes back, where {@link #sortValues} reads the {@code _source} of every product
   * of the set. Sets or pages larger than {@link #MAX_LEXICAL} (the engine's result window) take
   * the default path.
   */
  @Override
  public SortedKeys sortedTop(
      int[] keys, SortField field, boolean descending, SortPosition after, int n) {
    if (field == SortField.NONE) {
      throw new IllegalArgumentException("sortedTop needs a sort field, not NONE");
    }
    if (n <= 0 || keys.length == 0) {
      return SortedKeys.empty();
    }
    if (keys.length > MAX_LEXICAL || n > MAX_LEXICAL) {
      return SortedKeys.select(keys, sortValues(keys, field), descending, after, n);
    }
    Map<String, Integer> keyOf = new HashMap<>(keys.length * 2);
    List<String> products = new ArrayList<>(keys.length);
    for (int k : keys) {
      String id = ids.get(k);
      if (keyOf.putIfAbsent(id, k) == null) {
        products.add(id);
      }
    }
    SortValues page =
        SortedPage.read(
            search(SortedPage.body(products, field, descending, after, n)), field, descending);
    int[] out = new int[page.ids().length];
    for (int i = 0; i < out.length; i++) {
      Integer key = keyOf.get(page.ids()[i]);
      if (key == null) {
        throw new IllegalStateException(
            "the engine sorted product " + page.ids()[i] + ", which the set does not hold");
      }
      out[i] = key;
    }
    return new SortedKeys(out, page);
  }

  @Override
  public Map<String, Integer> keywordCounts(int[] keys, String field) {
    Map<String, Integer> out = new HashMap<>();
    if (keys.length == 0) {
      return out;
    }
    ObjectNode body = idsQuery(keys, 0);
    ObjectNode terms = body.putObject("aggs").putObject("values").putObject("terms");
    terms.put("field", field);
    terms.put("size", MAX_LEXICAL);
    for (JsonNode b : search(body).path("aggregations").path("values").path("buckets")) {
      out.put(b.path("key_as_string").asText(b.path("key").asText()), b.path("doc_count").asInt());
    }
    return out;
  }

  @Override
  public int[] rangeCounts(int[] keys, String field, List<Double> bounds) {
    int[] counts = new int[bounds.size() + 1];
    if (keys.length == 0) {
      return counts;
    }
    ObjectNode body = idsQuery(keys, 0);
    ObjectNode range = body.putObject("aggs").putObject("buckets").putObject("range");
    range.put("field", field);
    ArrayNode ranges = range.putArray("ranges");
    for (int i = 0; i <= bounds.size(); i++) {
      ObjectNode r = ranges.addObject();
      if (i > 0) {
        r.put("from", bounds.get(i - 1));
      }
      if (i < bounds.size()) {
        r.put("to", bounds.get(i));
      }
    }
    JsonNode buckets = search(body).path("aggregations").path("buckets").path("buckets");
    for (int i = 0; i < counts.length && i < buckets.size(); i++) {
      counts[i] = buckets.get(i).path("doc_count").asInt();
    }
    return counts;
  }

  @Override
  public long cardinality(String field) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 0);
    ObjectNode c = body.putObject("aggs").putObject("n").putObject("cardinality");
    c.put("field", field);
    c.put("precision_threshold", 40_000);
    return search(body).path("aggregations").path("n").path("value").asLong();
  }

  @Override
  public List<ProductCard> cards(int[] keys) {
    List<String> fields =
        List.of(
            IndexSchema.PRODUCT_ID,
            IndexSchema.NAME,
            IndexSchema.PRICE_STORED,
            IndexSchema.IMAGE_URL);
    Map<String, JsonNode> sources = keys.length == 0 ? Map.of() : sources(keys, fields);
    List<ProductCard> out = new ArrayList<>(keys.length);
    for (int key : keys) {
      String id = ids.get(key);
      JsonNode s = sources.getOrDefault(id, EngineClient.json().missingNode());
      JsonNode price = s.path(IndexSchema.PRICE_STORED);
      out.add(
          new ProductCard(
              id,
              s.path(IndexSchema.NAME).asText(null),
              price.isMissingNode() || price.isNull() ? null : price.asDouble(),
              s.path(IndexSchema.IMAGE_URL).asText(null)));
    }
    return out;
  }

  @Override
  public String imageRef(int imageKey) {
    return images.get(imageKey);
  }

  /** The normalised mean of the product's image vectors from its {@code _source}. */
  @Override
  public float[] productVector(String productId) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 1);
    body.putObject("query").putObject("ids").putArray("values").add(productId);
    body.putArray("_source").add(IndexMapping.VECTOR_FIELD);
    JsonNode hits = search(body).path("hits").path("hits");
    if (hits.isEmpty()) {
      return null;
    }
    float[] sum = null;
    for (JsonNode image : hits.get(0).path("_source").path(IndexMapping.IMAGES)) {
      JsonNode v = image.path(IndexSchema.VECTOR);
      if (!v.isArray() || v.isEmpty()) {
        continue;
      }
      if (sum == null) {
        sum = new float[v.size()];
      }
      for (int i = 0; i < sum.length && i < v.size(); i++) {
        sum[i] += (float) v.get(i).asDouble();
      }
    }
    if (sum == null) {
      return null;
    }
    double norm = 0;
    for (float f : sum) {
      norm += f * f;
    }
    if (norm == 0) {
      return null;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < sum.length; i++) {
      sum[i] *= scale;
    }
    return sum;
  }

  @Override
  public boolean productExists(String productId) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 0);
    body.putObject("query").putObject("ids").putArray("values").add(productId);
    return search(body).path("hits").path("total").path("value").asLong() > 0;
  }

  /**
   * Pages the generation's products ({@link SourcePages}, {@value #LABELS_PAGE} a page, {@code
   * _source} limited to the name, colour and categories), each page a search bounded by the view's
   * deadline.
   */
  @Override
  public void forEachLabels(Consumer<ProductLabels> sink) {
    SourcePages.forEach(
        this::search,
        LABELS_PAGE,
        List.of(
            IndexSchema.PRODUCT_ID,
            IndexSchema.NAME,
            IndexSchema.COLOUR_STORED,
            IndexSchema.CATEGORIES_STORED),
        h -> {
          JsonNode src = h.path("_source");
          List<String> paths = new ArrayList<>();
          JsonNode cats = src.path(IndexSchema.CATEGORIES_STORED);
          if (cats.isArray()) {
            cats.forEach(c -> paths.add(c.asText()));
          } else if (cats.isTextual()) {
            paths.add(cats.asText());
          }
          sink.accept(
              new ProductLabels(
                  h.path("_id").asText(),
                  text(src.path(IndexSchema.NAME)),
                  text(src.path(IndexSchema.COLOUR_STORED)),
                  paths));
        });
  }

  /** A text field's value, or null when it is missing. */
  private static String text(JsonNode field) {
    return field.isTextual() ? field.asText() : null;
  }

  private ObjectNode idsQuery(int[] keys, int size) {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", size);
    ArrayNode values = body.putObject("query").putObject("ids").putArray("values");
    for (int k : keys) {
      values.add(ids.get(k));
    }
    return body;
  }

  /** The given source fields of the products {@code keys}, by product id. */
  private Map<String, JsonNode> sources(int[] keys, List<String> fields) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (int from = 0; from < keys.length; from += MAX_LEXICAL) {
      int[] chunk =
          java.util.Arrays.copyOfRange(keys, from, Math.min(keys.length, from + MAX_LEXICAL));
      ObjectNode body = idsQuery(chunk, chunk.length);
      ArrayNode source = body.putArray("_source");
      fields.forEach(source::add);
      for (JsonNode h : search(body).path("hits").path("hits")) {
        out.put(h.path("_id").asText(), h.path("_source"));
      }
    }
    return out;
  }

  /**
   * One search on this view's index with the time left as its {@code timeout}.
   *
   * @throws BackendUnavailableException when no time is left, the engine timed out (partial results
   *     are never used), cannot be reached or answers 429/5xx
   * @throws EngineException on another error status (a bad query: a bug, not an outage)
   */
  private JsonNode search(ObjectNode body) {
    return search(body, "");
  }

  /** {@link #search(ObjectNode)} with URL parameters ({@code ?...}, or empty). */
  private JsonNode search(ObjectNode body, String parameters) {
    long leftMs = remainingNanos.getAsLong() / 1_000_000;
    if (leftMs <= 0) {
      throw new BackendUnavailableException(
          "no time left for an OpenSearch call on " + index + " (the deadline passed)", null);
    }
    body.put("timeout", leftMs + "ms");
    JsonNode answer;
    try {
      // the engine stops searching at `timeout`; the client abandons the call at the same time
      answer =
          client.call(
              "POST",
              "/" + index + "/_search" + parameters,
              body,
              java.time.Duration.ofMillis(leftMs));
    } catch (EngineException e) {
      throw unavailable(e);
    }
    if (answer.path("timed_out").asBoolean(false)) {
      throw new BackendUnavailableException(
          String.format(
              Locale.ROOT,
              "OpenSearch search on %s timed out after %d ms (the request's deadline)",
              index,
              leftMs),
          null);
    }
    return answer;
  }

  /**
   * An engine failure as the seam reports it: retryable ones (no answer, 429, 5xx) and refused
   * credentials (401, 403: a configuration the operator must fix) as {@link
   * BackendUnavailableException}, others unchanged.
   */
  static RuntimeException unavailable(EngineException e) {
    if (e.status() == 401 || e.status() == 403) {
      return new BackendUnavailableException(
          "OpenSearch refused the credentials (shopsearch.opensearch.username and its password): "
              + e.getMessage(),
          e);
    }
    if (!e.retryable()) {
      return e;
    }
    return new BackendUnavailableException(
        e.status() == 0
            ? "OpenSearch cannot be reached: " + e.getMessage()
            : "OpenSearch is unavailable: " + e.getMessage(),
        e);
  }

  @Override
  public void close() {
    // nothing held: the generation index stays until pruned (keep-generations >= 2)
  }
}
