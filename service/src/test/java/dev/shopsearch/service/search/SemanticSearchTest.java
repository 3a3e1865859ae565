package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.ActiveProvider;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.ProductText;
import dev.shopsearch.service.fusion.FusionInfo;
import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.ManualClock;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic list: a query finds a product whose text means the same without sharing a word
 * ("sneakers" → a product named "running shoes"), the hit says the semantic list contributed, a
 * request can turn the list off, and an index without text vectors (schema version 3) is served as
 * before, without it.
 */
class SemanticSearchTest {
  static final String HASH = "5e3a471c";
  static final String SHOES = "x-shoes";

  @TempDir Path root;
  final ManualClock clock = new ManualClock();
  IndexManager index;
  QueryEmbedder embedder;
  SearchExecutor searchers;

  /**
   * A fake text tower that knows one synonym: "sneakers" embeds as "running shoes" does, so the two
   * texts are near in the vector space though they share no token.
   */
  static final class SynonymText implements TextEncoder {
    private final FakeClip.Text words = new FakeClip.Text();

    @Override
    public int dim() {
      return words.dim();
    }

    @Override
    public List<float[]> encode(List<String> batch) {
      return words.encode(batch.stream().map(SynonymText::canonical).toList());
    }

    @Override
    public ActiveProvider executionProvider() {
      return words.executionProvider();
    }

    @Override
    public void close() {}

    static String canonical(String text) {
      return text.toLowerCase(Locale.ROOT).replace("sneakers", "running shoes");
    }

    static float[] embed(String text) {
      return FakeClip.embed(canonical(text));
    }
  }

  @AfterEach
  void close() {
    if (embedder != null) {
      embedder.close();
    }
    if (index != null) {
      index.close();
    }
    if (searchers != null) {
      searchers.close();
    }
  }

  /** The vector pointing the other way: the least similar photo there can be. */
  static float[] opposite(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  /**
   * The test catalog plus "Running shoes", whose photo is the least like the query "sneakers" (the
   * image kNN ranks it last).
   */
  static List<Product> catalog() {
    List<Product> c = new ArrayList<>(TestIndex.catalog("p"));
    c.add(
        new Product(
            SHOES,
            "Running shoes",
            "Light trail runners",
            List.of("Men / Footwear"),
            "grey",
            49.0,
            true,
            List.of("images/x-shoes-0.jpg"),
            Map.of(),
            c.size() + 1));
    return c;
  }

  SearchService serve(boolean textVectors) throws Exception {
    TestIndex.ImageVectors images =
        (p, i) ->
            p.id().equals(SHOES)
                ? opposite(FakeClip.embed("running shoes"))
                : TestIndex.FAKE.vector(p, i);
    TestIndex.publish(
        root,
        FakeClip.manifest(HASH),
        catalog(),
        images,
        null,
        p -> textVectors ? SynonymText.embed(ProductText.of(p)) : null);
    TestProperties.All props =
        TestProperties.of(
            Map.of("shopsearch.index.root", root.toString(), "shopsearch.cache.enabled", "false"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    ModelHolder models = new ModelHolder();
    models.set(new LoadedModel(FakeClip.manifest(HASH), new SynonymText(), new FakeClip.Image()));
    index = IndexManager.create(props.index(), () -> models.current().manifest(), metrics);
    assertThat(index.refresh()).isTrue();
    embedder =
        new QueryEmbedder(
            models, props.batching(), props.cache(), props.overload(), metrics, registry, clock);
    searchers = new SearchExecutor(props.overload(), clock);
    return new SearchService(
        props.search(),
        props.overload(),
        models,
        index,
        embedder,
        new AdmissionControl(props.overload()),
        searchers,
        metrics);
  }

  SearchResponse search(SearchService s, String text, SearchMode mode, FusionOverride fusion) {
    return s.search(
        new SearchQuery(text, 30, 0, mode, SearchFilters.NONE, ResultOptions.DEFAULT, fusion),
        Deadline.start(Duration.ofSeconds(60), null, clock));
  }

  static Optional<SearchHit> shoes(SearchResponse r) {
    return r.hits().stream().filter(h -> h.id().equals(SHOES)).findFirst();
  }

  static int rank(SearchResponse r) {
    return r.hits().stream().map(SearchHit::id).toList().indexOf(SHOES) + 1;
  }

  @Test
  void aQueryFindsAProductWhoseTextMeansTheSameWithoutSharingAWord() throws Exception {
    SearchService s = serve(true);
    // BM25 alone does not find it: no token in common
    assertThat(shoes(search(s, "sneakers", SearchMode.LEXICAL, FusionOverride.NONE))).isEmpty();

    // uncalibrated, the semantic list is left out unless the request asks for it
    SearchResponse plain = search(s, "sneakers", SearchMode.HYBRID, FusionOverride.NONE);
    assertThat(plain.fusion()).isEqualTo(new FusionInfo("rrf", 60, 1, 1, 0.0, "default"));
    assertThat(plain.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());

    SearchResponse hybrid =
        search(s, "sneakers", SearchMode.HYBRID, FusionOverride.of(null, null, null, 1.0, null));
    assertThat(hybrid.fusion()).isEqualTo(new FusionInfo("rrf", 60, 1, 1, 1.0, "request"));
    SearchHit hit = shoes(hybrid).orElseThrow();
    assertThat(hit.semanticRank()).isEqualTo(1);
    assertThat(hit.lexicalRank()).isNull();
    assertThat(hit.lists()).contains("semantic").doesNotContain("lexical");

    // semanticWeight=0 turns the list off: no semantic rank anywhere, the product falls back
    SearchResponse off =
        search(s, "sneakers", SearchMode.HYBRID, FusionOverride.of(null, null, null, 0.0, null));
    assertThat(off.fusion()).isEqualTo(new FusionInfo("rrf", 60, 1, 1, 0.0, "request"));
    assertThat(off.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());
    assertThat(rank(off)).as("last: only the photos rank it").isEqualTo(off.hits().size());
    // the semantic list lifts it; weighted up, right after the four sneakers all three lists find
    assertThat(rank(hybrid)).isLessThan(rank(off));
    SearchResponse heavy =
        search(s, "sneakers", SearchMode.HYBRID, FusionOverride.of(null, null, null, 3.0, null));
    assertThat(rank(heavy)).isLessThanOrEqualTo(5);

    // image search (vector mode) stays image-only
    SearchResponse vector = search(s, "sneakers", SearchMode.VECTOR, FusionOverride.NONE);
    assertThat(vector.fusion()).isNull();
    assertThat(vector.hits()).allSatisfy(h -> assertThat(h.lists()).containsExactly("image"));
  }

  @Test
  void theSemanticListHonoursTheFilters() throws Exception {
    SearchService s = serve(true);
    SearchResponse women =
        s.search(
            new SearchQuery(
                "sneakers",
                30,
                0,
                SearchMode.HYBRID,
                new SearchFilters(List.of("women"), List.of(), null, null, null, Map.of()),
                ResultOptions.DEFAULT,
                FusionOverride.of(null, null, null, 1.0, null)),
            Deadline.start(Duration.ofSeconds(60), null, clock));
    assertThat(shoes(women)).as("a men's product").isEmpty();
    assertThat(women.hits()).isNotEmpty().allSatisfy(h -> assertThat(h.id()).isNotEqualTo(SHOES));
    assertThat(women.hits()).anySatisfy(h -> assertThat(h.lists()).contains("semantic"));
  }

  @Test
  void anIndexWithoutTextVectorsIsServedWithoutTheSemanticList() throws Exception {
    SearchService s = serve(false);
    SearchResponse hybrid = search(s, "sneakers", SearchMode.HYBRID, FusionOverride.NONE);
    assertThat(hybrid.fusion()).isEqualTo(new FusionInfo("rrf", 60, 1, 1, "default"));
    assertThat(hybrid.hits()).allSatisfy(h -> assertThat(h.semanticRank()).isNull());
    // asking for the semantic list changes nothing there
    SearchResponse asked =
        search(s, "sneakers", SearchMode.HYBRID, FusionOverride.of(null, null, null, 5.0, null));
    assertThat(asked.hits()).extracting(SearchHit::id).isEqualTo(ids(hybrid));
  }

  static List<String> ids(SearchResponse r) {
    return r.hits().stream().map(SearchHit::id).toList();
  }
}
