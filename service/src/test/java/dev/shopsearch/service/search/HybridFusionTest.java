package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.service.fusion.FusionInfo;
import dev.shopsearch.service.fusion.FusionOverride;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.problem.InvalidRequestException;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.ManualClock;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hybrid search over a real index fuses as the served generation's metadata says (calibrated
 * settings, or equal RRF without them), a request overrides it, and the answer says which fusion
 * ran and which lists each hit came from.
 */
class HybridFusionTest {
  static final String HASH = "f00dcafe";
  @TempDir Path root;
  final ManualClock clock = new ManualClock();
  IndexManager index;
  QueryEmbedder embedder;
  SearchExecutor searchers;

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

  SearchService serve(FusionSettings calibrated) throws Exception {
    // Vectors that disagree with the names: each product's image vector is another product's
    // name, so the kNN and BM25 lists differ and the weights decide the order.
    List<dev.shopsearch.core.catalog.Product> catalog = TestIndex.catalog("p");
    TestIndex.ImageVectors shifted =
        (p, i) -> {
          int n = catalog.indexOf(p);
          return FakeClip.embed(catalog.get((n + 7) % catalog.size()).name());
        };
    TestIndex.publish(root, FakeClip.manifest(HASH), catalog, shifted, calibrated);
    TestProperties.All p =
        TestProperties.of(
            Map.of("shopsearch.index.root", root.toString(), "shopsearch.cache.enabled", "false"));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    ModelHolder models = new ModelHolder();
    models.set(FakeClip.model(HASH, new FakeClip.Text()));
    index = IndexManager.create(p.index(), () -> models.current().manifest(), metrics);
    assertThat(index.refresh()).isTrue();
    embedder =
        new QueryEmbedder(models, p.batching(), p.cache(), p.overload(), metrics, registry, clock);
    searchers = new SearchExecutor(p.overload(), clock);
    return new SearchService(
        p.search(),
        p.overload(),
        models,
        index,
        embedder,
        new AdmissionControl(p.overload()),
        searchers,
        metrics);
  }

  SearchResponse search(SearchService s, SearchMode mode, FusionOverride fusion) {
    return s.search(
        new SearchQuery(
            "red dress", 20, 0, mode, SearchFilters.NONE, ResultOptions.DEFAULT, fusion),
        Deadline.start(Duration.ofSeconds(60), null, clock));
  }

  static List<String> ids(SearchResponse r) {
    return r.hits().stream().map(SearchHit::id).toList();
  }

  @Test
  void anUncalibratedIndexFusesWithEqualRrfAndSaysSo() throws Exception {
    SearchService s = serve(null);
    SearchResponse r = search(s, SearchMode.HYBRID, FusionOverride.NONE);
    assertThat(r.fusion()).isEqualTo(new FusionInfo("rrf", 60, 1, 1, "default"));
    // Each hit names the lists it came from and its rank there.
    assertThat(r.hits())
        .allSatisfy(h -> assertThat(h.vectorRank() != null || h.lexicalRank() != null).isTrue());
    assertThat(r.hits()).anySatisfy(h -> assertThat(h.vectorRank()).isNotNull());
    assertThat(r.hits()).anySatisfy(h -> assertThat(h.lexicalRank()).isNotNull());
    assertThat(search(s, SearchMode.VECTOR, FusionOverride.NONE).fusion()).isNull();
  }

  @Test
  void aCalibratedIndexIsFusedWithItsWeightsAndARequestOverridesThem() throws Exception {
    SearchService s = serve(new FusionSettings(FusionStrategy.RRF, 60, 0, 1));
    List<String> lexical = ids(search(s, SearchMode.LEXICAL, FusionOverride.NONE));
    List<String> vector = ids(search(s, SearchMode.VECTOR, FusionOverride.NONE));
    assertThat(lexical).isNotEqualTo(vector.subList(0, lexical.size()));

    SearchResponse calibrated = search(s, SearchMode.HYBRID, FusionOverride.NONE);
    assertThat(calibrated.fusion()).isEqualTo(new FusionInfo("rrf", 60, 0, 1, "index"));
    // Only the BM25 list is weighted: its products come first, in BM25 rank order (lexical mode
    // orders equal BM25 scores by product id, RRF by their rank in the BM25 list).
    assertThat(ids(calibrated).subList(0, lexical.size()))
        .containsExactlyInAnyOrderElementsOf(lexical);
    assertThat(calibrated.hits().subList(0, lexical.size()))
        .extracting(SearchHit::lexicalRank)
        .isSorted();

    SearchResponse overridden =
        search(s, SearchMode.HYBRID, FusionOverride.of("score", 1.0, 0.0, null));
    assertThat(overridden.fusion()).isEqualTo(new FusionInfo("score", 60, 1, 0, "request"));
    assertThat(ids(overridden).subList(0, 10)).isEqualTo(vector.subList(0, 10));
  }

  @Test
  void anOverrideLeavingNoWeightIs400NamingTheParameter() throws Exception {
    SearchService s = serve(new FusionSettings(FusionStrategy.RRF, 60, 0, 1));
    assertThatThrownBy(() -> search(s, SearchMode.HYBRID, FusionOverride.of(null, null, 0.0, null)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("must not both be 0");
  }
}
