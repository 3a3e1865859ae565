package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@link SearchService} over a real index of {@link #catalog()} (fake CLIP vectors), with a
 * manual clock, so deadlines never run out however busy the machine is.
 */
final class ResultListFixture implements AutoCloseable {
  static final String HASH = "feedc0de";
  static final String[] COLOURS = {"red", "blue", "green", "black", "white"};
  static final String[] TYPES = {"dress", "shirt", "jacket", "sneakers"};
  static final String[] CATEGORIES = {
    "Women / Dresses", "Men / Shirts", "Men / Jackets", "Women / Shoes / Sneakers"
  };
  static final String[] PATTERNS = {"solid", "striped", "floral"};

  final ManualClock clock = new ManualClock();
  final ModelHolder models = new ModelHolder();
  final IndexManager index;
  final QueryEmbedder embedder;
  final SearchExecutor searchers;
  final SearchService service;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final TestProperties.All properties;
  private final SearchMetrics metrics;
  private final FacetsProperties facets;

  /**
   * 60 products: colours, patterns, a three-level category, prices with duplicates and gaps (no
   * price every 7th), stock unknown for some, a free-text attribute with 60 values, and catalog
   * rows that are a permutation of the list order (so {@code newest} is not list order).
   */
  static List<Product> catalog() {
    List<Product> out = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String colour = COLOURS[i % 5];
      int t = (i / 5) % 4;
      String pattern = PATTERNS[i % 3];
      String name = colour + " " + pattern + " " + TYPES[t];
      out.add(
          new Product(
              String.format("q%02d", i),
              name,
              "A " + name + " in " + (i % 2 == 0 ? "cotton" : "linen"),
              List.of(CATEGORIES[t]),
              colour,
              i % 7 == 3 ? null : 5.0 + (i * 37 % 300) / 2 * 2,
              i % 9 == 0 ? null : i % 4 != 1,
              List.of("images/q" + i + "-0.jpg", "images/q" + i + "-1.jpg"),
              Map.of(
                  "pattern", List.of(pattern),
                  "gender", List.of(CATEGORIES[t].startsWith("Women") ? "women" : "men"),
                  "caption", List.of("caption " + i)),
              (i * 17) % 60 + 1));
    }
    return out;
  }

  static Path publish(Path root) throws Exception {
    TestIndex.publish(root, FakeClip.manifest(HASH), catalog());
    return root;
  }

  ResultListFixture(Path root, Map<String, String> settings, FacetsProperties facets) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("shopsearch.index.root", root.toString());
    all.put("shopsearch.cache.enabled", "false");
    all.putIfAbsent("shopsearch.search.num-candidates", "1000");
    TestProperties.All p = TestProperties.of(all);
    SearchMetrics metrics = new SearchMetrics(registry);
    this.properties = p;
    this.metrics = metrics;
    this.facets = facets;
    models.set(FakeClip.model(HASH, new FakeClip.Text()));
    index = IndexManager.create(p.index(), () -> models.current().manifest(), metrics);
    assertThat(index.refresh()).isTrue();
    embedder =
        new QueryEmbedder(models, p.batching(), p.cache(), p.overload(), metrics, registry, clock);
    searchers = new SearchExecutor(p.overload(), clock);
    service =
        new SearchService(
            p.search(),
            p.overload(),
            models,
            index,
            embedder,
            new AdmissionControl(p.overload()),
            searchers,
            metrics,
            facets);
  }

  /** A second service with the same settings, model, encoder and threads over another backend. */
  SearchService serviceOn(SearchBackend backend) {
    return new SearchService(
        properties.search(),
        properties.overload(),
        models,
        backend,
        embedder,
        new AdmissionControl(properties.overload()),
        searchers,
        metrics,
        facets);
  }

  Deadline deadline() {
    return Deadline.start(Duration.ofMinutes(1), null, clock);
  }

  SearchResponse search(
      String text, SearchMode mode, SearchFilters filters, int k, int offset, ResultOptions o) {
    return service.search(new SearchQuery(text, k, offset, mode, filters, o), deadline());
  }

  @Override
  public void close() {
    embedder.close();
    index.close();
    searchers.close();
  }
}
