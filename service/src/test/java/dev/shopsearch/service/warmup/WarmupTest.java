package dev.shopsearch.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.shopsearch.service.image.ImageQueryService;
import dev.shopsearch.service.image.ImageUrlFetcher;
import dev.shopsearch.service.image.ImageWorkers;
import dev.shopsearch.service.image.QueryImagePreprocessor;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.search.SearchExecutor;
import dev.shopsearch.service.search.SearchService;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.ManualClock;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-up over a real index and the real query path, with fake towers and a manual clock. */
class WarmupTest {
  static final String HASH = "warm0001";
  @TempDir static Path root;

  final ManualClock clock = new ManualClock();
  final FakeClip.Text text = new FakeClip.Text();
  final FakeClip.Image image = new FakeClip.Image();
  SimpleMeterRegistry registry;
  IndexManager index;
  QueryEmbedder embedder;
  SearchExecutor searchers;
  ImageQueryService images;
  ImageWorkers workers;
  ImageUrlFetcher urls;

  @BeforeAll
  static void buildIndex() throws Exception {
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("w"));
  }

  @AfterEach
  void close() {
    if (embedder != null) {
      embedder.close();
      index.close();
      searchers.close();
      workers.close();
      urls.close();
    }
  }

  Warmup warmup(Map<String, String> settings) {
    return warmup(settings, max -> Optional.empty());
  }

  Warmup warmup(Map<String, String> settings, Warmup.ApiBase api) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("shopsearch.index.root", root.toString());
    TestProperties.All p = TestProperties.of(all);
    registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    ModelHolder models = new ModelHolder();
    models.set(FakeClip.model(HASH, text, image));
    index = IndexManager.create(p.index(), () -> models.current().manifest(), metrics);
    assertThat(index.refresh()).isTrue();
    embedder =
        new QueryEmbedder(models, p.batching(), p.cache(), p.overload(), metrics, registry, clock);
    searchers = new SearchExecutor(p.overload(), clock);
    workers = new ImageWorkers(p.imageDecode());
    urls = new ImageUrlFetcher(p.upload());
    images =
        new ImageQueryService(
            models, embedder, new QueryImagePreprocessor(p.upload()), workers, urls, p.upload());
    SearchService search =
        new SearchService(
            p.search(),
            p.overload(),
            models,
            index,
            embedder,
            new AdmissionControl(p.overload()),
            searchers,
            metrics);
    return new Warmup(p.warmup(), p.upload(), search, images, embedder, searchers, api, clock);
  }

  long requests(String endpoint, String mode) {
    return registry
        .find("search.request")
        .tags("endpoint", endpoint, "mode", mode)
        .timers()
        .stream()
        .filter(t -> t.getId().getTag("outcome").equals("ok"))
        .mapToLong(t -> t.count())
        .sum();
  }

  @Test
  void everyPathRunsAFewTimesAndTheColdCallsDoNotStayInTheEstimates() {
    Warmup w = warmup(Map.of());
    text.onEncode = () -> clock.advance(Duration.ofMillis(300)); // cold, slow encodes
    assertThat(w.finished()).isFalse();
    assertThat(w.status()).startsWith("pending");

    w.run();

    assertThat(w.finished()).isTrue();
    assertThat(w.status())
        .startsWith("done")
        .contains("24 text searches", "4 photo searches", "0 HTTP requests");
    assertThat(w.status()).contains("0 failed");
    // 24 text searches in turn hybrid, vector, lexical: 16 text-tower encodes (no cache hits).
    assertThat(requests("search", "hybrid")).isEqualTo(8);
    assertThat(requests("search", "vector")).isEqualTo(8);
    assertThat(requests("search", "lexical")).isEqualTo(8);
    assertThat(text.texts.get()).isEqualTo(16);
    // Four photo searches: decode + preprocess + image tower + kNN.
    assertThat(image.calls.get()).isEqualTo(4);
    assertThat(requests("image", "vector")).isEqualTo(4);
    assertThat(registry.get("search.stage").tag("stage", "knn").timer().count()).isEqualTo(20);
    assertThat(registry.get("search.stage").tag("stage", "lexical").timer().count()).isEqualTo(16);
    // The 300 ms cold encodes would otherwise refuse the first queued requests after readiness.
    assertThat(embedder.recentEncodeNanos()).isZero();
    assertThat(searchers.recentSearchNanos()).isZero();
  }

  @Test
  void aWarmupThatRunsPastMaxTimeIsCutShortAndStillFinishes() {
    Warmup w = warmup(Map.of("shopsearch.warmup.max-time", "10s"));
    text.onEncode = () -> clock.advance(Duration.ofSeconds(4));
    w.run();
    assertThat(w.finished()).isTrue();
    assertThat(w.status()).startsWith("cut short at max-time");
    // Queries 0 (hybrid) and 1 (vector) encode for 4 s each, 2 is lexical, 3 encodes: 12 s > 10 s.
    assertThat(text.calls.get()).isEqualTo(3);
    assertThat(image.calls.get()).isZero();
  }

  @Test
  void failingSearchesAreCountedAndTheWarmupGoesOn() {
    Warmup w = warmup(Map.of("shopsearch.warmup.images", "0"));
    text.onEncode =
        () -> {
          if (text.calls.get() <= 2) {
            throw new IllegalStateException("first calls fail");
          }
        };
    w.run();
    assertThat(w.finished()).isTrue();
    assertThat(w.status()).contains("2 failed").contains("first calls fail");
    assertThat(text.calls.get()).isEqualTo(16);
  }

  @Test
  void theLastStepSendsRealHttpRequestsToTheApiPort() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          ex.getRequestBody().readAllBytes();
          seen.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/shop/");
      Warmup w =
          warmup(
              Map.of("shopsearch.warmup.http-rounds", "2", "shopsearch.warmup.text-queries", "3"),
              max -> Optional.of(base));
      w.run();
      assertThat(w.status()).contains("12 HTTP requests").contains("0 failed");
    } finally {
      server.stop(0);
    }
    assertThat(seen)
        .hasSize(12)
        .contains(
            "GET /shop/v1/info",
            "GET /shop/v1/search",
            "POST /shop/v1/search",
            "POST /shop/v1/search/image");
  }

  @Test
  void theApiBaseIsLoopbackUnlessTheServerIsBoundToOneAddress() {
    assertThat(ApiPort.base("", 8080, "")).hasToString("http://127.0.0.1:8080/");
    assertThat(ApiPort.base("0.0.0.0", 8080, "/shop")).hasToString("http://127.0.0.1:8080/shop/");
    assertThat(ApiPort.base("::", 8080, "")).hasToString("http://127.0.0.1:8080/");
    assertThat(ApiPort.base("10.1.2.3", 9, "/a/")).hasToString("http://10.1.2.3:9/a/");
    assertThat(ApiPort.base("::1", 9, "")).hasToString("http://[0:0:0:0:0:0:0:1]:9/");
  }

  @Test
  void disabledMeansFinishedAtOnce() {
    Warmup w = warmup(Map.of("shopsearch.warmup.enabled", "false"));
    w.run();
    assertThat(w.finished()).isTrue();
    assertThat(w.status()).isEqualTo("disabled");
    assertThat(text.calls.get()).isZero();
  }
}
