package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload behaviour of the query path over a real index with a deliberately slow encoder: bounded
 * in-flight work refuses at once (503) or degrades to lexical-only, and a deadline that cannot be
 * met is refused before encoding.
 */
class OverloadTest {
  static final String HASH = "0123abcd";
  @TempDir static Path root;

  SimpleMeterRegistry registry;
  ModelHolder models;
  IndexManager index;
  QueryEmbedder embedder;
  FakeClip.Text encoder;
  SearchExecutor searchers;

  @BeforeAll
  static void buildIndex() throws Exception {
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("p"));
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

  SearchService service(Map<String, String> settings, long encodeDelayMillis) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("shopsearch.index.root", root.toString());
    ServiceProperties p = TestProperties.of(all);
    registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    models = new ModelHolder();
    encoder = new FakeClip.Text();
    encoder.delayMillis = encodeDelayMillis;
    models.set(FakeClip.model(HASH, encoder));
    index = IndexManager.create(p, () -> models.current().manifest(), metrics);
    assertThat(index.refresh()).isTrue();
    embedder = new QueryEmbedder(models, p, metrics, registry);
    searchers = new SearchExecutor(p);
    return new SearchService(
        p, models, index, embedder, new AdmissionControl(p, metrics), searchers, metrics);
  }

  static SearchQuery query(String text) {
    return new SearchQuery(text, 5, 0, SearchMode.HYBRID, SearchFilters.NONE);
  }

  /** Fires {@code n} different queries at once; returns their outcomes with durations. */
  static List<Object[]> burst(SearchService s, int n, Duration deadline) throws Exception {
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object[]>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String q = "query " + i;
      Callable<Object[]> task =
          () -> {
            go.await();
            long t0 = System.nanoTime();
            try {
              SearchResponse r = s.search(query(q), Deadline.start(deadline, null));
              return new Object[] {r, (System.nanoTime() - t0) / 1e6};
            } catch (OverloadedException e) {
              return new Object[] {e, (System.nanoTime() - t0) / 1e6};
            }
          };
      futures.add(pool.submit(task));
    }
    go.countDown();
    List<Object[]> out = new ArrayList<>();
    for (Future<Object[]> f : futures) {
      out.add(f.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();
    return out;
  }

  @Test
  void overTheInFlightLimitRequestsAreRefusedFastNotQueued() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-in-flight", "2",
                "shopsearch.overload.max-encode-concurrency", "2",
                "shopsearch.cache.enabled", "false"),
            300);
    List<Object[]> results = burst(s, 12, Duration.ofSeconds(5));
    long ok = results.stream().filter(r -> r[0] instanceof SearchResponse).count();
    List<Object[]> shed =
        results.stream().filter(r -> r[0] instanceof OverloadedException).toList();
    assertThat(ok).isBetween(2L, 4L);
    assertThat(shed).hasSizeGreaterThanOrEqualTo(8);
    for (Object[] r : shed) {
      assertThat(((OverloadedException) r[0]).reason())
          .isEqualTo(OverloadedException.Reason.IN_FLIGHT_LIMIT);
      assertThat((double) r[1]).isLessThan(150.0); // answered long before the 300 ms encode
    }
    assertThat(registry.get("search.shed").tag("reason", "in_flight_limit").counter().count())
        .isEqualTo(shed.size());
  }

  @Test
  void withLexicalFallbackTheRefusedGetDegradedLexicalResults() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-in-flight", "1",
                "shopsearch.overload.on-overload", "lexical",
                "shopsearch.overload.max-degraded-in-flight", "64",
                "shopsearch.cache.enabled", "false"),
            300);
    List<Object[]> results = burst(s, 8, Duration.ofSeconds(5));
    List<SearchResponse> degraded =
        results.stream()
            .filter(r -> r[0] instanceof SearchResponse sr && sr.degraded())
            .map(r -> (SearchResponse) r[0])
            .toList();
    assertThat(degraded).hasSizeGreaterThanOrEqualTo(5);
    for (SearchResponse r : degraded) {
      assertThat(r.mode()).isEqualTo("lexical");
      assertThat(r.degradedReason()).isEqualTo("in_flight_limit");
      assertThat(r.timings()).doesNotContainKey("encode");
    }
    assertThat(results).noneMatch(r -> r[0] instanceof OverloadedException);
    assertThat(registry.get("search.degraded").counter().count()).isEqualTo(degraded.size());
  }

  @Test
  void aDeadlineThatCannotBeMetIsRefusedBeforeEncoding() throws InterruptedException {
    SearchService s = service(Map.of(), 60);
    // The first encode teaches the service how long encoding takes (60 ms).
    SearchResponse first =
        s.search(query("slow first"), Deadline.start(Duration.ofSeconds(5), null));
    assertThat(first.hits()).isNotEmpty();
    int callsBefore = encoder.calls.get();
    long t0 = System.nanoTime();
    try {
      s.search(query("another query"), Deadline.start(Duration.ofMillis(100), "20"));
      throw new AssertionError("expected a refusal");
    } catch (OverloadedException e) {
      assertThat(e.reason()).isEqualTo(OverloadedException.Reason.DEADLINE);
      assertThat(e.getMessage()).contains("20 ms deadline cannot be met");
    }
    assertThat((System.nanoTime() - t0) / 1e6).isLessThan(50.0);
    assertThat(encoder.calls.get()).isEqualTo(callsBefore);
    // A stale estimate is not trusted forever: after a quiet second one request probes the encoder.
    Thread.sleep(QueryEmbedder.PROBE_AFTER.toMillis() + 100);
    try {
      s.search(query("probe"), Deadline.start(Duration.ofMillis(100), "20"));
    } catch (OverloadedException e) {
      assertThat(e.getMessage()).contains("did not finish"); // it ran, slower than 20 ms
    }
    assertThat(encoder.calls.get()).isEqualTo(callsBefore + 1);
    // A cached query needs no encode and still fits the same tight deadline.
    SearchResponse cached =
        s.search(query("slow first"), Deadline.start(Duration.ofMillis(100), "20"));
    assertThat(cached.embeddingCached()).isTrue();
  }

  @Test
  void queuedEncodesNeverWaitPastTheDeadline() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-in-flight", "16",
                "shopsearch.overload.max-encode-concurrency", "1",
                "shopsearch.cache.enabled", "false"),
            50);
    s.search(query("teach the estimate"), Deadline.start(Duration.ofSeconds(5), null));
    List<Object[]> results = burst(s, 12, Duration.ofMillis(150));
    long ok = results.stream().filter(r -> r[0] instanceof SearchResponse).count();
    List<Object[]> late =
        results.stream().filter(r -> r[0] instanceof OverloadedException).toList();
    assertThat(ok).isGreaterThanOrEqualTo(1);
    assertThat(late).isNotEmpty();
    for (Object[] r : late) {
      assertThat(((OverloadedException) r[0]).reason())
          .isEqualTo(OverloadedException.Reason.DEADLINE);
    }
    // One encoder, 50 ms per encode, 150 ms budget: nobody waits for 12 x 50 ms.
    assertThat(results).allSatisfy(r -> assertThat((double) r[1]).isLessThan(400.0));
  }

  @Test
  void aQueuedEncodeThatCanNoLongerFinishInTimeIsSkipped() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-encode-concurrency", "1",
                "shopsearch.cache.enabled", "false"),
            50);
    s.search(query("teach the estimate"), Deadline.start(Duration.ofSeconds(5), null));
    int before = encoder.calls.get();
    // A: a slower-than-usual encode (90 ms) holds the only encoder thread.
    encoder.delayMillis = 90;
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    Future<SearchResponse> a =
        pool.submit(() -> s.search(query("slow one"), Deadline.start(Duration.ofSeconds(5), null)));
    Thread.sleep(10);
    encoder.delayMillis = 50;
    // B: admitted (2 x 50 ms expected < 120 ms), but it reaches the encoder at ~90 ms with ~30 ms
    // left, less than an encode takes: it must be skipped, not encoded for nobody.
    try {
      s.search(query("too late"), Deadline.start(Duration.ofMillis(120), null));
      throw new AssertionError("expected a refusal");
    } catch (OverloadedException e) {
      assertThat(e.reason()).isEqualTo(OverloadedException.Reason.DEADLINE);
    }
    assertThat(a.get().hits()).isNotEmpty();
    pool.close();
    assertThat(encoder.calls.get()).as("only A was encoded").isEqualTo(before + 1);
  }

  @Test
  void batchedEncodesGiveUpAtTheDeadline() {
    SearchService s =
        service(
            Map.of(
                "shopsearch.batching.enabled", "true",
                "shopsearch.cache.enabled", "false"),
            200);
    long t0 = System.nanoTime();
    try {
      s.search(query("never in time"), Deadline.start(Duration.ofMillis(40), null));
      throw new AssertionError("expected a refusal");
    } catch (OverloadedException e) {
      assertThat(e.reason()).isEqualTo(OverloadedException.Reason.DEADLINE);
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    assertThat(ms).isBetween(30.0, 150.0); // at the 40 ms deadline, not after the 200 ms encode
  }
}
