package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.ProductText;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.BulkSender;
import dev.shopsearch.opensearch.BulkWriter;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.LexicalAnalysers;
import dev.shopsearch.opensearch.OpenSearchBackend;
import dev.shopsearch.opensearch.ProductJson;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.index.IndexHandle;
import dev.shopsearch.service.suggest.ProductSuggester;
import dev.shopsearch.service.suggest.Suggesters;
import dev.shopsearch.service.suggest.Suggestion;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TcpForwarder;
import dev.shopsearch.service.testing.TestIndex;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The same {@link SearchService} over both backends — the embedded index and a real 2-node
 * OpenSearch cluster (forked from Maven Central jars, shared by the class) holding the same catalog
 * ({@link ResultListFixture#catalog()}) with the same image vectors ({@link TestIndex#FAKE}) —
 * gives the same answers: top-10, one hit per product, filters, totals, facets, sorted pages,
 * similar products. {@code num-candidates} is 40 of 60 products, so the kNN lists are cut by the
 * approximate search on both sides, not the whole catalog. Then the faults: an outage (through a
 * {@link TcpForwarder} switched off) is a 503 with the reason and the service recovers by itself,
 * and a node killed while queries run costs no server error.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenSearchServiceTest {
  private static final List<String> QUERIES =
      List.of(
          "red solid dress",
          "blue striped shirt",
          "green floral jacket",
          "black sneakers",
          "white dress",
          "striped jacket");

  private static OpenSearchCluster cluster;
  private static EngineClient client;
  private static ResultListFixture fx;
  private static SearchService lucene;
  private static SearchService opensearch;
  private static ResultListFixture mixedFx;
  private static SearchService mixedLucene;
  private static SearchService mixedOpenSearch;
  private static String mixedIndex;
  private static OpenSearchBackend mixedBackend;

  @BeforeAll
  static void sameCatalogOnBothBackends() throws Exception {
    Path work = Files.createTempDirectory("opensearch-service");
    try {
      cluster = OpenSearchCluster.start(ClusterConfig.defaults(2, work.resolve("cluster")));
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    Path root = ResultListFixture.publish(work.resolve("index"));
    fx =
        new ResultListFixture(
            root, Map.of("shopsearch.search.num-candidates", "40"), FacetsProperties.DEFAULTS);
    lucene = fx.service;

    IndexMetadata metadata;
    try (IndexHandle h = fx.index.acquire()) {
      metadata = h.metadata();
    }
    client =
        EngineClient.connect(
            new ConnectionConfig(
                cluster.httpUris(), Duration.ofSeconds(5), Duration.ofSeconds(60)));
    Generations generations = new Generations(client, new IndexLayout("products", 2, 1, true, 2));
    String index = generations.create(metadata);
    write(index, ResultListFixture.catalog(), p -> null);
    generations.publish(index);
    opensearch =
        fx.serviceOn(
            new OpenSearchBackend(
                client, generations, m -> m.checkQueryCompatible(fx.models.current().manifest())));

    // a second catalog (English, Chinese, mixed, accented titles) on both, for lexical ranking
    Path mixedRoot = work.resolve("mixed");
    TestIndex.publish(
        mixedRoot,
        FakeClip.manifest(ResultListFixture.HASH),
        MixedLanguageCatalog.catalog(),
        TestIndex.FAKE,
        null,
        OpenSearchServiceTest::textVector);
    mixedFx = new ResultListFixture(mixedRoot, Map.of(), FacetsProperties.DEFAULTS);
    mixedLucene = mixedFx.service;
    Generations mixed = new Generations(client, new IndexLayout("mixed", 2, 1, true, 2));
    mixedIndex = mixed.create(metadata);
    write(mixedIndex, MixedLanguageCatalog.catalog(), OpenSearchServiceTest::textVector);
    mixed.publish(mixedIndex);
    mixedBackend =
        new OpenSearchBackend(
            client, mixed, m -> m.checkQueryCompatible(fx.models.current().manifest()));
    mixedOpenSearch = mixedFx.serviceOn(mixedBackend);
  }

  /** The product text vector both backends carry: the fake text tower's embedding. */
  private static float[] textVector(Product p) {
    return FakeClip.embed(ProductText.of(p));
  }

  private static void write(String index, List<Product> catalog, TestIndex.TextVectors text) {
    ProductJson json = new ProductJson(FakeClip.DIM);
    List<ObjectNode> docs = new ArrayList<>();
    for (Product p : catalog) {
      List<ImageVector> images = new ArrayList<>();
      for (int i = 0; i < p.images().size(); i++) {
        images.add(new ImageVector(p.images().get(i), i, TestIndex.FAKE.vector(p, i)));
      }
      docs.add(json.document(p, images, "h-" + p.id(), text.vector(p)));
    }
    assertThat(
            new BulkWriter(
                    BulkSender.of(client),
                    new BulkConfig(20, 2, 5, Duration.ofMillis(200), Duration.ofSeconds(5)))
                .write(index, docs))
        .isEmpty();
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    if (mixedFx != null) {
      mixedFx.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SearchResponse vector(
      SearchService s, String text, SearchFilters f, int k, int offset, ResultOptions o) {
    return s.search(new SearchQuery(text, k, offset, SearchMode.VECTOR, f, o), fx.deadline());
  }

  private static List<String> ids(SearchResponse r) {
    return r.hits().stream().map(SearchHit::id).toList();
  }

  @Test
  void topTenAgreeWithOneHitPerProductAndTheSameBestImage() {
    int agreed = 0;
    int asked = 0;
    for (String q : QUERIES) {
      SearchResponse a = vector(lucene, q, SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT);
      SearchResponse b = vector(opensearch, q, SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT);
      assertThat(ids(b)).as(q).doesNotHaveDuplicates().hasSize(10);
      Set<String> common = new HashSet<>(ids(a));
      common.retainAll(ids(b));
      agreed += common.size();
      asked += 10;
      assertThat(b.total()).as("total of %s", q).isEqualTo(a.total()).isEqualTo(40);
      for (SearchHit hb : b.hits()) {
        a.hits().stream()
            .filter(ha -> ha.id().equals(hb.id()))
            .findFirst()
            .ifPresent(
                ha -> {
                  assertThat(hb.matchedImage())
                      .as("best image of %s", ha.id())
                      .isEqualTo(ha.matchedImage());
                  assertThat(hb.score())
                      .as("score of %s", ha.id())
                      .isCloseTo(ha.score(), org.assertj.core.data.Offset.offset(1e-3));
                  assertThat(hb.name()).isEqualTo(ha.name());
                  assertThat(hb.price()).isEqualTo(ha.price());
                  assertThat(hb.imageUrl()).isEqualTo(ha.imageUrl());
                });
      }
    }
    double recall = (double) agreed / asked;
    System.out.printf(
        "top-10 recall of OpenSearch vs embedded over %d queries: %.3f%n", QUERIES.size(), recall);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void filtersPreFilterTheSameProductsOnBoth() {
    SearchFilters f =
        SearchFilters.of(
            List.of("Women"),
            List.of("red", "white"),
            10.0,
            250.0,
            null,
            Map.of("pattern", List.of("solid", "floral")));
    for (String q : QUERIES) {
      SearchResponse a = vector(lucene, q, f, 10, 0, ResultOptions.DEFAULT);
      SearchResponse b = vector(opensearch, q, f, 10, 0, ResultOptions.DEFAULT);
      assertThat(a.total()).as(q).isPositive();
      assertThat(b.total()).as(q).isEqualTo(a.total());
      assertThat(ids(b)).as(q).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(a));
    }
  }

  @Test
  void facetsAgree() {
    SearchFilters f =
        SearchFilters.of(null, List.of("blue"), null, null, null, Map.of("gender", List.of("men")));
    for (SearchFilters filters : List.of(SearchFilters.NONE, f)) {
      ResultOptions o = new ResultOptions(SortOrder.RELEVANCE, null, true);
      SearchResponse a = vector(lucene, "striped shirt", filters, 10, 0, o);
      SearchResponse b = vector(opensearch, "striped shirt", filters, 10, 0, o);
      assertThat(b.facets()).as("%s", filters).isEqualTo(a.facets());
      assertThat(b.total()).isEqualTo(a.total());
    }
  }

  @Test
  void sortedPagesAndCursorsAgree() {
    for (SortOrder sort : List.of(SortOrder.PRICE_ASC, SortOrder.PRICE_DESC, SortOrder.RELEVANCE)) {
      List<String> pagesA = new ArrayList<>();
      List<String> pagesB = new ArrayList<>();
      String cursorA = null;
      String cursorB = null;
      do {
        SearchResponse a =
            vector(
                lucene,
                "floral dress",
                SearchFilters.NONE,
                7,
                0,
                new ResultOptions(sort, cursorA, false));
        SearchResponse b =
            vector(
                opensearch,
                "floral dress",
                SearchFilters.NONE,
                7,
                0,
                new ResultOptions(sort, cursorB, false));
        assertThat(ids(b)).as("%s page %d", sort, pagesA.size() / 7).isEqualTo(ids(a));
        assertSameCursor(b.nextCursor(), a.nextCursor(), sort);
        pagesA.addAll(ids(a));
        pagesB.addAll(ids(b));
        cursorA = a.nextCursor();
        cursorB = b.nextCursor();
      } while (cursorA != null);
      assertThat(pagesB).as("%s", sort).doesNotHaveDuplicates().hasSize(40).isEqualTo(pagesA);
      // offset paging gives the same page as the cursor
      assertThat(
              ids(
                  vector(
                      opensearch,
                      "floral dress",
                      SearchFilters.NONE,
                      7,
                      14,
                      new ResultOptions(sort, null, false))))
          .isEqualTo(pagesA.subList(14, 21));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void infoDescribesTheGenerationTheClusterServes() {
    OpenSearchBackend backend =
        new OpenSearchBackend(
            client,
            new Generations(client, new IndexLayout("products", 2, 1, true, 2)),
            m -> m.checkQueryCompatible(fx.models.current().manifest()));
    Map<String, Object> index =
        (Map<String, Object>)
            new InfoController(
                    fx.models,
                    fx.index,
                    fx.embedder,
                    fx.properties.search(),
                    fx.properties.overload(),
                    fx.properties.cache(),
                    backend)
                .info()
                .get("index");
    assertThat(index)
        .containsEntry("generation", 1L)
        .containsEntry("products", (long) ResultListFixture.catalog().size())
        .containsEntry("images", 2L * ResultListFixture.catalog().size())
        .doesNotContainKey("documents");
  }

  @Test
  void similarProductsAgreeAndLeaveTheProductOut() {
    for (String id : List.of("q03", "q17", "q42")) {
      SearchResponse a = lucene.similar(id, 10, 0, SearchFilters.NONE, fx.deadline());
      SearchResponse b = opensearch.similar(id, 10, 0, SearchFilters.NONE, fx.deadline());
      assertThat(ids(b)).as(id).doesNotContain(id).doesNotHaveDuplicates().isEqualTo(ids(a));
    }
  }

  /**
   * {@code /v1/suggest}'s suggesters built over each backend from the same catalog give the same
   * completions, in the same order, for English, category and Chinese prefixes.
   */
  @Test
  void suggestionsAgreeOnEnglishCategoryAndChinesePrefixes() throws Exception {
    long wait = TimeUnit.SECONDS.toNanos(120);
    try (Suggesters embedded =
            new Suggesters(new LuceneBackend(mixedFx.index), Duration.ofHours(1));
        Suggesters remote = new Suggesters(mixedBackend, Duration.ofHours(1));
        ProductIndexView a = new LuceneBackend(mixedFx.index).acquire();
        ProductIndexView b = mixedBackend.acquire()) {
      ProductSuggester onLucene = embedded.get(a, wait);
      ProductSuggester onOpenSearch = remote.get(b, wait);
      assertThat(onOpenSearch.entries()).isEqualTo(onLucene.entries()).isPositive();
      for (String prefix :
          List.of("red", "flo", "summer dr", "wom", "men / sh", "碎花", "连衣", "summer", "rob")) {
        List<Suggestion> expected = onLucene.lookup(prefix, 10);
        assertThat(expected).as(prefix).isNotEmpty();
        assertThat(onOpenSearch.lookup(prefix, 10)).as(prefix).isEqualTo(expected);
      }
    }
  }

  /**
   * After a new generation is published on the cluster, the suggestions of the generation the
   * backend now serves follow it (and the old generation's stay as they were). Ordered before the
   * fault tests: publishing waits for the new generation's replicas, which a cluster with a killed
   * node cannot place (unordered tests run after the ordered ones, so after the node kill).
   */
  @Test
  @Order(50)
  void suggestionsFollowANewlyPublishedGeneration() throws Exception {
    IndexMetadata metadata;
    try (IndexHandle h = fx.index.acquire()) {
      metadata = h.metadata();
    }
    Generations generations = new Generations(client, new IndexLayout("suggest", 2, 1, true, 2));
    List<Product> first = MixedLanguageCatalog.catalog().subList(0, 8);
    String one = generations.create(metadata);
    write(one, first, p -> null);
    generations.publish(one);
    OpenSearchBackend backend =
        new OpenSearchBackend(
            client, generations, m -> m.checkQueryCompatible(fx.models.current().manifest()));
    long wait = TimeUnit.SECONDS.toNanos(120);
    try (Suggesters suggesters = new Suggesters(backend, Duration.ofHours(1))) {
      assertThat(eventuallyReady(backend)).isTrue();
      long firstGeneration;
      try (ProductIndexView v = backend.acquire()) {
        firstGeneration = v.generation();
        assertThat(suggesters.get(v, wait).lookup("zebra", 5)).isEmpty();
        assertThat(suggesters.get(v, wait).entries()).isPositive();
      }
      List<Product> second = new ArrayList<>(first);
      second.add(
          new Product(
              "z1",
              "Zebra Print Scarf",
              "",
              List.of("Accessories / Scarves"),
              "black",
              12.0,
              true,
              List.of("images/z1-0.jpg"),
              Map.of(),
              100));
      String two = generations.create(metadata);
      write(two, second, p -> null);
      generations.publish(two);
      try (ProductIndexView v = backend.acquire()) {
        assertThat(v.generation()).isGreaterThan(firstGeneration);
        assertThat(suggesters.get(v, wait).lookup("zeb", 5))
            .containsExactly(new Suggestion("Zebra Print Scarf", Suggestion.PRODUCT, 1));
        assertThat(suggesters.get(v, wait).lookup("acc", 5))
            .extracting(Suggestion::text)
            .containsExactlyInAnyOrder("Accessories", "Accessories / Scarves");
      }
    }
  }

  /**
   * The index's analysers (built from core's {@link LexicalAnalysis} description) give the tokens,
   * positions and types the embedded analysers give, on English, Chinese, mixed-script, accented,
   * full-width and half-width-kana text.
   */
  @Test
  void theClusterAnalysesTextAsTheEmbeddedIndexDoes() throws Exception {
    List<String> texts =
        List.of(
            "Women's Running-Shoes, size 42 (2-pack) U.S.A. e-mail: a.b@example.com",
            "红色碎花连衣裙",
            "夏季碎花连衣裙",
            "Summer 碎花连衣裙 dress 2024款",
            "Robe à fleurs d'été — Crème Brûlée, ÉTÉ",
            "ＲＥＤ ｄｒｅｓｓ １２３ Ｔシャツ",
            "ｶﾞｰﾃﾞﾝ ﾄﾞﾚｽ カﾞ ﾊﾟﾝﾂ",
            "ワンピース ひらがな 빨간 드레스 连",
            "");
    Map<String, Analyzer> pairs =
        Map.of(
            LexicalAnalysers.ENGLISH, LexicalAnalysis.english(),
            LexicalAnalysers.CJK_INDEX, LexicalAnalysis.cjk(true),
            LexicalAnalysers.CJK_QUERY, LexicalAnalysis.cjk(false));
    for (Map.Entry<String, Analyzer> pair : pairs.entrySet()) {
      try (Analyzer embedded = pair.getValue()) {
        for (String text : texts) {
          ObjectNode body = EngineClient.json().createObjectNode();
          body.put("analyzer", pair.getKey());
          body.put("text", text);
          List<String> remote = new ArrayList<>();
          for (JsonNode t :
              client.call("POST", "/" + mixedIndex + "/_analyze", body).path("tokens")) {
            remote.add(
                t.path("token").asText()
                    + "@"
                    + t.path("position").asInt()
                    + t.path("type").asText());
          }
          assertThat(remote)
              .as("%s of '%s'", pair.getKey(), text)
              .isEqualTo(tokens(embedded, text));
        }
      }
    }
  }

  /** term@position&lt;TYPE&gt; of every token, as {@code _analyze} lists them. */
  private static List<String> tokens(Analyzer analyzer, String text) throws Exception {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("f", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += inc.getPositionIncrement();
        out.add(term + "@" + position + type.type());
      }
      ts.end();
    }
    return out;
  }

  /**
   * Lexical mode (BM25 alone) ranks the same products in the same order with the same scores on
   * both backends, English and Chinese queries alike: same analysis, same fields and boosts (core's
   * {@code LexicalQuery}), index-wide statistics (dfs) over a 2-shard index. Scores agree to a
   * tolerance (two JVMs, two Lucene versions: the last bits may differ); products whose scores
   * differ by less than it may swap places, but products with <em>equal</em> scores (a tie) come in
   * catalog order on both backends (core {@code LexicalTies}; OpenSearch sorts by {@code _score},
   * then {@code catalog_row}).
   */
  @Test
  void lexicalTopTenAgreeOnEnglishAndChineseQueries() {
    List<String> queries = new ArrayList<>(MixedLanguageCatalog.ENGLISH_QUERIES);
    queries.addAll(MixedLanguageCatalog.CHINESE_QUERIES);
    for (String q : queries) {
      SearchResponse a = lexical(mixedLucene, q);
      SearchResponse b = lexical(mixedOpenSearch, q);
      assertThat(a.hits()).as(q).hasSizeGreaterThanOrEqualTo(3);
      assertThat(b.total()).as("matches of %s", q).isEqualTo(a.total());
      assertSameRanking(q, a.hits(), b.hits());
    }
  }

  /**
   * Did-you-mean on OpenSearch: the term suggester over the same vocabulary field with the same
   * policy (core's {@code SpellingWords}) corrects the same words to the same words as the embedded
   * corrector: one and two edits, transpositions, several words, a known word or a short, numeric
   * or CJK one kept; the corrected query then ranks alike.
   */
  @Test
  void didYouMeanAgrees() {
    Map<String, String> typos = new java.util.LinkedHashMap<>();
    typos.put("flroal dres", "floral dress");
    typos.put("strped shrit", "striped shirt");
    typos.put("wintr jakcet", "winter jacket");
    typos.put("sumer linnen", "summer linen");
    typos.put("红色 sneekers 42", "红色 sneakers 42");
    typos.put("Chemse rayee", "chemise rayée");
    for (Map.Entry<String, String> t : typos.entrySet()) {
      SearchResponse a = lexical(mixedLucene, t.getKey());
      SearchResponse b = lexical(mixedOpenSearch, t.getKey());
      assertThat(a.didYouMean()).as(t.getKey()).isEqualTo(t.getValue());
      assertThat(b.didYouMean()).as(t.getKey()).isEqualTo(a.didYouMean());
      assertThat(b.total()).as(t.getKey()).isEqualTo(a.total());
      assertSameRanking(t.getKey(), a.hits(), b.hits());
    }
    for (String known : List.of("floral dress", "blu 碎花 42", "xyzzyq")) {
      assertThat(lexical(mixedLucene, known).didYouMean()).as(known).isNull();
      assertThat(lexical(mixedOpenSearch, known).didYouMean()).as(known).isNull();
    }
    // answers are remembered per generation: a request short of time (searchNew false) gets the
    // corrections seen before, and keeps an unseen typo as typed until one may look it up
    try (ProductIndexView v = mixedBackend.acquire()) {
      assertThat(v.correctSpelling("flroal dres", false)).contains("floral dress");
      assertThat(v.correctSpelling("flroal lether", false)).contains("floral lether");
      assertThat(v.correctSpelling("flroal lether", true)).contains("floral leather");
      assertThat(v.correctSpelling("lether", false)).contains("leather");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static SearchResponse lexical(SearchService s, String q) {
    return s.search(
        new SearchQuery(q, 10, 0, SearchMode.LEXICAL, SearchFilters.NONE, ResultOptions.DEFAULT),
        mixedFx.deadline());
  }

  private static final double SCORE_TOLERANCE = 1e-4;

  /** id:score[vector rank/lexical rank/semantic rank] of each hit, for failure messages. */
  private static String describe(List<SearchHit> hits) {
    return hits.stream()
        .map(
            h ->
                String.format(
                    java.util.Locale.ROOT,
                    "%s:%.5f[%s/%s/%s]",
                    h.id(),
                    h.score(),
                    h.vectorRank(),
                    h.lexicalRank(),
                    h.semanticRank()))
        .toList()
        .toString();
  }

  /** Same length, scores within the tolerance rank by rank, ids equal except within a tie. */
  static void assertSameRanking(String q, List<SearchHit> a, List<SearchHit> b) {
    assertThat(b).as(q).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).score())
          .as(
              "%s: score at rank %d%n embedded:   %s%n opensearch: %s",
              q, i + 1, describe(a), describe(b))
          .isCloseTo(a.get(i).score(), org.assertj.core.data.Offset.offset(SCORE_TOLERANCE));
      if (!a.get(i).id().equals(b.get(i).id())) {
        boolean exactTie =
            (i > 0 && a.get(i).score() == a.get(i - 1).score())
                || (i + 1 < a.size() && a.get(i).score() == a.get(i + 1).score());
        assertThat(exactTie)
            .as(
                "%s: rank %d is %s embedded, %s on OpenSearch, within a tie (catalog order on"
                    + " both)%n embedded:   %s%n opensearch: %s",
                q, i + 1, a.get(i).id(), b.get(i).id(), describe(a), describe(b))
            .isFalse();
        boolean tied =
            (i > 0 && Math.abs(a.get(i).score() - a.get(i - 1).score()) < SCORE_TOLERANCE)
                || (i + 1 < a.size()
                    && Math.abs(a.get(i).score() - a.get(i + 1).score()) < SCORE_TOLERANCE);
        assertThat(tied)
            .as(
                "%s: rank %d is %s embedded, %s on OpenSearch, not a tie",
                q, i + 1, a.get(i).id(), b.get(i).id())
            .isTrue();
      }
    }
  }

  /**
   * The semantic list on OpenSearch: a generation whose products carry text vectors says so, and a
   * hybrid search asking for the semantic list (semanticWeight=1) finds the same products at the
   * same semantic ranks as the embedded backend, with and without filters (pre-filtered on both),
   * and the same fused top-10; a generation without text vectors is served without the list on
   * both. Every product both top-10s hold has the same image, lexical and semantic ranks on both
   * (BM25 ties come in catalog order on both backends: core {@code LexicalTies}; before, each
   * engine's own document order once swapped two tied products' lexical ranks 7/8 and the top 3),
   * the fused scores agree within 1e-3, and the top 3 are the same products in the same order.
   */
  @Test
  void hybridWithTheSemanticListAgrees() {
    List<Product> catalog = MixedLanguageCatalog.catalog();
    assertThat(catalog.stream().map(ProductText::of).distinct().count())
        .as("distinct product texts: the semantic list has no ties")
        .isEqualTo(catalog.size());
    FusionOverride semantic = FusionOverride.of(null, null, null, 1.0, null);
    SearchFilters women = SearchFilters.of(List.of("Women"), null, null, null, null, Map.of());
    List<String> queries = new ArrayList<>(MixedLanguageCatalog.ENGLISH_QUERIES);
    queries.addAll(MixedLanguageCatalog.CHINESE_QUERIES);
    int semanticHits = 0;
    int agreed = 0;
    int asked = 0;
    for (SearchFilters f : List.of(SearchFilters.NONE, women)) {
      for (String q : queries) {
        SearchResponse a = hybrid(mixedLucene, q, f, semantic);
        SearchResponse b = hybrid(mixedOpenSearch, q, f, semantic);
        String what =
            String.format(
                "%s %s%n embedded:   %s%n opensearch: %s",
                q, f, describe(a.hits()), describe(b.hits()));
        assertThat(b.fusion()).as(what).isEqualTo(a.fusion());
        assertThat(b.total()).as(what).isEqualTo(a.total());
        assertThat(ids(b)).as(what).doesNotHaveDuplicates().hasSameSizeAs(ids(a));
        for (SearchHit hb : b.hits()) {
          if (hb.semanticRank() != null) {
            semanticHits++;
          }
          for (SearchHit ha : a.hits()) {
            if (ha.id().equals(hb.id())) {
              assertThat(hb.semanticRank())
                  .as("semantic rank of %s in %s", ha.id(), what)
                  .isEqualTo(ha.semanticRank());
              assertThat(hb.vectorRank())
                  .as("image rank of %s in %s", ha.id(), what)
                  .isEqualTo(ha.vectorRank());
              assertThat(hb.lexicalRank())
                  .as("lexical rank of %s in %s", ha.id(), what)
                  .isEqualTo(ha.lexicalRank());
              assertThat(hb.score())
                  .as("fused score of %s in %s", ha.id(), what)
                  .isCloseTo(ha.score(), org.assertj.core.data.Offset.offset(1e-3));
              agreed++;
            }
          }
        }
        assertThat(ids(b).subList(0, Math.min(3, ids(b).size())))
            .as(what)
            .isEqualTo(ids(a).subList(0, Math.min(3, ids(a).size())));
        asked += a.hits().size();
      }
    }
    double recall = (double) agreed / asked;
    System.out.printf(
        "hybrid (semanticWeight=1) top-10 overlap of OpenSearch vs embedded: %.3f%n", recall);
    assertThat(recall).isGreaterThanOrEqualTo(0.95);
    assertThat(semanticHits).as("hits the semantic list found on OpenSearch").isPositive();
    // the first catalog was written without text vectors: no semantic list on either backend
    SearchResponse a = hybrid(lucene, "red dress", SearchFilters.NONE, semantic);
    SearchResponse b = hybrid(opensearch, "red dress", SearchFilters.NONE, semantic);
    assertThat(a.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());
    assertThat(b.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());
    // and /v1/info says which generation has the list
    assertThat(info(mixedFx, "mixed")).containsEntry("semanticList", true);
    assertThat(info(fx, "products")).containsEntry("semanticList", false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> info(ResultListFixture f, String alias) {
    OpenSearchBackend backend =
        new OpenSearchBackend(
            client,
            new Generations(client, new IndexLayout(alias, 2, 1, true, 2)),
            m -> m.checkQueryCompatible(f.models.current().manifest()));
    return (Map<String, Object>)
        new InfoController(
                f.models,
                f.index,
                f.embedder,
                f.properties.search(),
                f.properties.overload(),
                f.properties.cache(),
                backend)
            .info()
            .get("index");
  }

  private static SearchResponse hybrid(
      SearchService s, String q, SearchFilters f, FusionOverride fusion) {
    return s.search(
        new SearchQuery(q, 10, 0, SearchMode.HYBRID, f, ResultOptions.DEFAULT, fusion),
        mixedFx.deadline());
  }

  /** Polls {@code ready()} a bounded number of times (no wall-clock assertion). */
  private static boolean eventuallyReady(OpenSearchBackend backend) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (backend.ready()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  @Test
  @Order(100)
  void anOutageIsA503WithTheReasonAndTheServiceRecoversByItself() throws Exception {
    try (TcpForwarder proxy = new TcpForwarder(cluster.nodes().get(0).httpPort());
        EngineClient via =
            EngineClient.connect(
                new ConnectionConfig(
                    List.of(URI.create("http://127.0.0.1:" + proxy.port())),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(30)))) {
      OpenSearchBackend backend =
          new OpenSearchBackend(
              via,
              new Generations(via, new IndexLayout("products", 2, 1, true, 2)),
              m -> m.checkQueryCompatible(fx.models.current().manifest()));
      SearchService s = fx.serviceOn(backend);
      List<String> expected =
          ids(vector(lucene, "red dress", SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT));

      // down from the start
      assertThat(backend.ready()).isFalse();
      assertThat(backend.notReadyReason()).contains("OpenSearch cannot be reached");
      assertThatThrownBy(
              () -> vector(s, "red dress", SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("OpenSearch cannot be reached");
      assertThatThrownBy(() -> s.similar("q03", 10, 0, SearchFilters.NONE, fx.deadline()))
          .isInstanceOf(EngineUnavailableException.class);
      assertThat(
              fx.registry.find("search.request").tag("outcome", "unavailable").timers().stream()
                  .mapToLong(t -> t.count())
                  .sum())
          .as("requests counted as unavailable (search, similar)")
          .isEqualTo(2);

      // it comes back: ready again by itself, the same answers
      proxy.on();
      assertThat(eventuallyReady(backend)).isTrue();
      assertThat(backend.notReadyReason()).isNull();
      assertThat(ids(vector(s, "red dress", SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT)))
          .isEqualTo(expected);

      // down while serving, then back
      proxy.off();
      assertThatThrownBy(
              () -> vector(s, "red dress", SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT))
          .isInstanceOf(EngineUnavailableException.class);
      assertThat(backend.ready()).isFalse();
      proxy.on();
      assertThat(eventuallyReady(backend)).isTrue();
      assertThat(ids(vector(s, "red dress", SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT)))
          .isEqualTo(expected);
    }
  }

  @Test
  @Order(200)
  void killingOneNodeWhileQueriesRunGivesNoServerError() throws Exception {
    String manager =
        client.call("GET", "/_cat/cluster_manager?format=json", null).get(0).path("node").asText();
    OpenSearchCluster.Node victim =
        cluster.nodes().stream().filter(n -> !n.name().equals(manager)).findFirst().orElseThrow();
    CountDownLatch warmedUp = new CountDownLatch(10);
    CountDownLatch killed = new CountDownLatch(1);
    Thread killer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    warmedUp.await();
                    victim.process().destroyForcibly().waitFor(60, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    killed.countDown();
                  }
                });
    List<Throwable> unexpected = new CopyOnWriteArrayList<>();
    int unavailable = 0;
    int okAfterKill = 0;
    // queries run before, during and after the kill; then until 20 succeed on the survivor
    for (int i = 0; i < 2000 && okAfterKill < 20; i++) {
      boolean afterKill = killed.getCount() == 0;
      String q = QUERIES.get(i % QUERIES.size());
      try {
        SearchResponse r = vector(opensearch, q, SearchFilters.NONE, 10, 0, ResultOptions.DEFAULT);
        assertThat(ids(r)).as(q).doesNotHaveDuplicates().hasSize(10);
        if (afterKill) {
          okAfterKill++;
        }
      } catch (EngineUnavailableException e) {
        unavailable++; // a 503 with the reason is an acceptable answer to a node dying
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
      warmedUp.countDown();
    }
    killer.join();
    System.out.printf(
        "node %s killed while querying: %d answered 503, %d answered after the kill%n",
        victim.name(), unavailable, okAfterKill);
    assertThat(unexpected).as("errors other than 503 engine-unavailable").isEmpty();
    assertThat(okAfterKill).as("queries answered by the surviving node").isEqualTo(20);
  }

  /**
   * The cursors name the same position: same order, query and last product, and the same sort value
   * — to float precision for relevance, since the two engines compute the cosine in their own JVMs
   * (a last-bit difference was seen on another CPU), exactly for prices.
   */
  private static void assertSameCursor(String actual, String expected, SortOrder sort) {
    if (expected == null) {
      assertThat(actual).as("%s: no further page", sort).isNull();
      return;
    }
    assertThat(actual).as("%s: a further page", sort).isNotNull();
    String[] b = cursorFields(actual);
    String[] a = cursorFields(expected);
    assertThat(List.of(b[0], b[1], b[2], b[4])).isEqualTo(List.of(a[0], a[1], a[2], a[4]));
    if (sort == SortOrder.RELEVANCE) {
      assertThat(cursorValue(b[3]))
          .as("relevance of %s", a[4])
          .isCloseTo(cursorValue(a[3]), org.assertj.core.data.Offset.offset(1e-6));
    } else {
      assertThat(b[3]).as("%s value of %s", sort, a[4]).isEqualTo(a[3]);
    }
  }

  private static String[] cursorFields(String cursor) {
    return new String(
            java.util.Base64.getUrlDecoder().decode(cursor),
            java.nio.charset.StandardCharsets.UTF_8)
        .split("\n", -1);
  }

  private static double cursorValue(String hex) {
    return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
  }
}
