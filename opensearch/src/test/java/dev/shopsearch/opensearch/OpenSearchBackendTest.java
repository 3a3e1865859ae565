package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.core.search.SortedKeys;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.engine.OpenSearchCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The backend against a real 2-node cluster (forked from Maven Central jars, shared by the class):
 * a generation of 2 shards × 1 replica with segment replication, compared with the exact search
 * over the same catalog and vectors.
 */
@Tag("slow")
class OpenSearchBackendTest {
  private static final int DIM = 16;
  private static final int K = 10;
  private static final int CANDIDATES = 100;
  private static final TestCatalog CATALOG = new TestCatalog(240, DIM, 42);
  private static final IndexLayout LAYOUT = new IndexLayout("products", 2, 1, true, 2);

  private static OpenSearchCluster cluster;
  private static EngineClient client;
  private static Generations generations;
  private static OpenSearchSearcher searcher;
  private static String gen1;

  @BeforeAll
  static void startClusterAndPublishOneGeneration() throws Exception {
    Path work = Files.createTempDirectory("opensearch-backend-test");
    try {
      cluster = OpenSearchCluster.start(ClusterConfig.defaults(2, work));
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    client =
        EngineClient.connect(
            new ConnectionConfig(
                cluster.httpUris(), Duration.ofSeconds(5), Duration.ofSeconds(60)));
    generations = new Generations(client, LAYOUT);
    searcher = new OpenSearchSearcher(client, LAYOUT.alias());
    gen1 =
        generations.create(
            IndexMappingTest.metadata(VectorFormat.FLOAT, DIM).forCommit(0, 0, 0, ""));
    List<BulkReject> rejects =
        new BulkWriter(
                BulkSender.of(client),
                new BulkConfig(50, 2, 5, Duration.ofMillis(200), Duration.ofSeconds(5)))
            .write(gen1, CATALOG.documents());
    assertThat(rejects).isEmpty();
    generations.publish(gen1);
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static float[][] queries(long seed, int n) {
    Random r = new Random(seed);
    float[][] q = new float[n][];
    for (int i = 0; i < n; i++) {
      q[i] = TestCatalog.randomUnit(r, DIM);
    }
    return q;
  }

  /** Mean recall@k of the engine against the exact search; asserts one hit per product. */
  private static double recall(SearchFilters filters, Predicate<Product> sameFilter) {
    return recall(searcher, filters, sameFilter);
  }

  private static double recall(
      OpenSearchSearcher searcher, SearchFilters filters, Predicate<Product> sameFilter) {
    int found = 0;
    int expected = 0;
    for (float[] q : queries(7, 20)) {
      List<SearchHit> hits = searcher.knn(q, filters, K, CANDIDATES);
      List<TestCatalog.Scored> exact = CATALOG.exact(q, sameFilter, K);
      Set<String> ids = new HashSet<>();
      for (SearchHit h : hits) {
        assertThat(ids.add(h.productId())).as("one hit per product: %s", h.productId()).isTrue();
      }
      assertThat(hits).hasSize(exact.size());
      for (TestCatalog.Scored s : exact) {
        if (ids.contains(s.productId())) {
          found++;
          SearchHit hit =
              hits.stream()
                  .filter(h -> h.productId().equals(s.productId()))
                  .findFirst()
                  .orElseThrow();
          assertThat(hit.bestImageRef())
              .as("best image of %s", s.productId())
              .isEqualTo(s.bestImage());
        }
      }
      expected += exact.size();
    }
    return (double) found / expected;
  }

  @Test
  void knnTop10AgreesWithTheExactSearchOneHitPerProduct() {
    assertThat(recall(SearchFilters.NONE, p -> true)).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void int7GenerationsAreRescoredAtFullPrecision() {
    Generations gens = new Generations(client, new IndexLayout("int7", 2, 1, true, 2));
    IndexMetadata meta = IndexMappingTest.metadata(VectorFormat.INT7, DIM).forCommit(0, 0, 0, "");
    String gen = gens.create(meta);
    BulkConfig bulk = new BulkConfig(50, 2, 5, Duration.ofMillis(200), Duration.ofSeconds(5));
    assertThat(new BulkWriter(BulkSender.of(client), bulk).write(gen, CATALOG.documents()))
        .isEmpty();
    gens.publish(gen);
    OpenSearchSearcher rescored = new OpenSearchSearcher(client, "int7", KnnRescore.of(meta));
    OpenSearchSearcher graphOnly = new OpenSearchSearcher(client, "int7", KnnRescore.NONE);

    assertThat(recall(rescored, SearchFilters.NONE, p -> true)).isGreaterThanOrEqualTo(0.95);
    double rescoredError = 0;
    double graphError = 0;
    for (float[] q : queries(11, 10)) {
      Map<String, Double> exact = new HashMap<>();
      for (TestCatalog.Scored s : CATALOG.exact(q, p -> true, CATALOG.entries.size())) {
        exact.put(s.productId(), (1 + s.score()) / 2); // the engine's cosinesimil scale
      }
      for (SearchHit h : rescored.knn(q, SearchFilters.NONE, K, CANDIDATES)) {
        rescoredError = Math.max(rescoredError, Math.abs(h.score() - exact.get(h.productId())));
      }
      for (SearchHit h : graphOnly.knn(q, SearchFilters.NONE, K, CANDIDATES)) {
        graphError = Math.max(graphError, Math.abs(h.score() - exact.get(h.productId())));
      }
    }
    assertThat(rescoredError).as("rescored scores are the exact similarity").isLessThan(1e-5);
    assertThat(graphError)
        .as("the graph search alone scores with the 7-bit vectors (else this test shows nothing)")
        .isGreaterThan(1e-4);
  }

  @Test
  void filtersRunInsideTheKnnClauseAndAgreeWithTheExactSearch() {
    SearchFilters filters =
        new SearchFilters(
            List.of("Women"),
            List.of("red", "BLUE"),
            20.0,
            80.0,
            true,
            Map.of("size", List.of("m")));
    Predicate<Product> same =
        p ->
            p.categories().get(0).startsWith("Women")
                && (p.colour().equals("Red") || p.colour().equals("Blue"))
                && p.price() >= 20.0
                && p.price() <= 80.0
                && p.inStock()
                && p.attributes().get("size").contains("M");
    long matching = CATALOG.entries.stream().filter(e -> same.test(e.product())).count();
    assertThat(matching).as("the filter keeps a few products").isBetween((long) K / 2, 3L * K);
    // a true pre-filter returns k matching products (recall() checks the count), not the
    // matching part of the global top-k
    assertThat(recall(filters, same)).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void bm25MatchesTheAnalysedNameAndHonoursFilters() {
    List<SearchHit> hits =
        searcher.bm25(
            "Hoodie", new SearchFilters(List.of("men/tops"), null, null, null, null, null), 100);
    List<String> expected =
        CATALOG.entries.stream()
            .map(TestCatalog.Entry::product)
            .filter(p -> p.name().contains("hoodie") && p.categories().get(0).equals("Men / Tops"))
            .map(Product::id)
            .toList();
    assertThat(expected).isNotEmpty();
    assertThat(hits).extracting(SearchHit::productId).containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * Products whose names and descriptions match alike tie in BM25; across two shards the engine
   * would interleave them by shard, so the list sorts by score, then catalog row (the embedded
   * backend's order of ties: core {@code LexicalTies}).
   */
  @Test
  void bm25TiesComeInCatalogRowOrderAcrossShards() {
    Map<String, Long> rows = new HashMap<>();
    CATALOG.entries.forEach(e -> rows.put(e.product().id(), e.product().row()));
    List<SearchHit> hits = searcher.bm25("hoodie", SearchFilters.NONE, 100);
    assertThat(hits).hasSizeGreaterThan(20);
    int tied = 0;
    for (int i = 1; i < hits.size(); i++) {
      SearchHit prev = hits.get(i - 1);
      SearchHit cur = hits.get(i);
      assertThat(cur.score()).isLessThanOrEqualTo(prev.score());
      if (cur.score() == prev.score()) {
        tied++;
        assertThat(rows.get(cur.productId()))
            .as("%s after %s, tied at %s", cur.productId(), prev.productId(), cur.score())
            .isGreaterThan(rows.get(prev.productId()));
      }
    }
    assertThat(tied).as("ties in the list").isGreaterThan(10);
  }

  /**
   * A price / newest page is sorted by the engine ({@link SortedPage}); page by page, cursors
   * included, it equals core's selection over every product's values (the order the embedded
   * backend pages in): ties by product id, products without a price or catalog row last in both
   * directions, a cursor resuming after a product without a value.
   */
  @Test
  void enginePagesOfAFieldSortEqualCoresOrderWithMissingValuesLast() throws Exception {
    Generations sorted = new Generations(client, new IndexLayout("sorted", 2, 1, true, 2));
    String gen =
        sorted.create(IndexMappingTest.metadata(VectorFormat.FLOAT, DIM).forCommit(0, 0, 0, ""));
    List<ObjectNode> docs = new ArrayList<>();
    for (ObjectNode d : CATALOG.documents()) {
      ObjectNode copy = d.deepCopy();
      int i = docs.size();
      if (i % 5 == 0) {
        copy.remove(IndexSchema.PRICE);
      }
      if (i % 7 == 0) {
        copy.remove(IndexSchema.CATALOG_ROW);
      }
      docs.add(copy);
    }
    assertThat(
            new BulkWriter(
                    BulkSender.of(client),
                    new BulkConfig(50, 2, 5, Duration.ofMillis(200), Duration.ofSeconds(5)))
                .write(gen, docs))
        .isEmpty();
    sorted.publish(gen);
    try (ProductIndexView view = new OpenSearchBackend(client, sorted, meta -> {}).acquire()) {
      // a match set of 200 of the 240 products, in relevance order (as the service passes it)
      int[] all = view.knn(queries(3, 1)[0], ProductFilters.NONE, null, 240).keys();
      assertThat(all.length).isGreaterThan(200);
      int[] keys = Arrays.copyOf(all, 200);
      for (SortField field : List.of(SortField.PRICE, SortField.CATALOG_ROW)) {
        for (boolean descending : List.of(false, true)) {
          SortedKeys whole =
              SortedKeys.select(keys, view.sortValues(keys, field), descending, null, keys.length);
          int missing = 0;
          for (boolean m : whole.values().missing()) {
            missing += m ? 1 : 0;
          }
          assertThat(missing).as("%s without a value", field).isBetween(20, 60);
          assertThat(whole.values().missing()[keys.length - 1]).isTrue();
          SortPosition after = null;
          for (int from = 0; from < keys.length; from += 7) {
            SortedKeys page = view.sortedTop(keys, field, descending, after, 7);
            int to = Math.min(keys.length, from + 7);
            SortedKeys expected = slice(whole, from, to);
            assertThat(page)
                .as("%s %s page from %d", field, descending ? "desc" : "asc", from)
                .isEqualTo(expected);
            int last = page.keys().length - 1;
            after =
                new SortPosition(
                    page.values().missing()[last],
                    page.values().values()[last],
                    page.values().ids()[last]);
          }
          assertThat(view.sortedTop(keys, field, descending, after, 7).keys()).isEmpty();
        }
      }
    }
  }

  private static SortedKeys slice(SortedKeys whole, int from, int to) {
    return new SortedKeys(
        Arrays.copyOfRange(whole.keys(), from, to),
        new SortValues(
            Arrays.copyOfRange(whole.values().ids(), from, to),
            Arrays.copyOfRange(whole.values().values(), from, to),
            Arrays.copyOfRange(whole.values().missing(), from, to)));
  }

  @Test
  void metaCarriesTheModelOfThePublishedGeneration() {
    IndexMetadata meta = generations.metadata(generations.current().orElseThrow());
    assertThat(meta.modelName()).isEqualTo("demo-clip");
    assertThat(meta.modelHash()).isEqualTo("abc123");
    assertThat(meta.schemaVersion()).isEqualTo(IndexMetadata.SCHEMA_VERSION);
  }

  @Test
  void theAliasMovesOnlyOnPublishAndAFailedBuildLeavesItOnTheOldGeneration() {
    IndexLayout layout = new IndexLayout("swap", 2, 1, true, 2);
    Generations gens = new Generations(client, layout);
    IndexMetadata meta = IndexMappingTest.metadata(VectorFormat.INT7, DIM);
    BulkConfig bulk = new BulkConfig(20, 2, 2, Duration.ofMillis(50), Duration.ofMillis(200));
    List<ObjectNode> docs = CATALOG.documents();

    String first = gens.create(meta);
    new BulkWriter(BulkSender.of(client), bulk).write(first, docs.subList(0, 100));
    assertThat(gens.current()).as("not published yet").isEmpty();
    gens.publish(first);
    assertThat(gens.current()).contains(first);

    // the next build dies after its first batch: the alias stays on the first generation
    String broken = gens.create(meta);
    BulkSender real = BulkSender.of(client);
    int[] calls = {0};
    BulkSender dying =
        (index, ndjson) -> {
          synchronized (calls) {
            if (++calls[0] > 1) {
              throw new IllegalStateException("indexer killed mid-bulk");
            }
          }
          return real.send(index, ndjson);
        };
    assertThatThrownBy(() -> new BulkWriter(dying, bulk).write(broken, docs))
        .hasMessageContaining("killed mid-bulk");
    assertThat(gens.current()).contains(first);
    assertThat(count("swap")).isEqualTo(100);

    // a rerun completes and publishes; pruning keeps the newest two and never the published one
    String rerun = gens.create(meta);
    assertThat(new BulkWriter(BulkSender.of(client), bulk).write(rerun, docs)).isEmpty();
    gens.publish(rerun);
    assertThat(gens.current()).contains(rerun);
    assertThat(count("swap")).isEqualTo(docs.size());
    assertThat(gens.prune()).containsExactly(first);
    assertThat(gens.existing()).hasSize(2);
  }

  private static long count(String alias) {
    return client.call("GET", "/" + alias + "/_count", null).path("count").asLong();
  }
}
