package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.QueryEmbedder;
import dev.shopsearch.service.overload.AdmissionControl;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.ManualClock;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.service.testing.TestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload behaviour of the query path over a real index. Time is a {@link ManualClock}: the fake
 * encoder advances it by what an encode "takes" and blocks on a latch where a test needs encodes to
 * pile up, so nothing here depends on how fast the machine is. Virtual durations are seconds long,
 * so the real waits the code does on the deadline's remaining time are generous.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard only; nothing asserts a duration
class OverloadTest {
  static final String HASH = "0123abcd";
  @TempDir static Path root;

  final ManualClock clock = new ManualClock();
  final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
  SimpleMeterRegistry registry;
  ModelHolder models;
  IndexManager index;
  QueryEmbedder embedder;
  FakeClip.Text encoder;
  SearchExecutor searchers;
  final CountDownLatch gate = new CountDownLatch(1);

  @BeforeAll
  static void buildIndex() throws Exception {
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("p"));
  }

  @AfterEach
  void close() {
    gate.countDown();
    pool.close();
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

  SearchService service(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("shopsearch.index.root", root.toString());
    all.putIfAbsent("shopsearch.cache.enabled", "false");
    TestProperties.All p = TestProperties.of(all);
    registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    models = new ModelHolder();
    encoder = new FakeClip.Text();
    models.set(FakeClip.model(HASH, encoder));
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

  Deadline deadline(Duration budget) {
    return Deadline.start(budget, null, clock);
  }

  static SearchQuery query(String text) {
    return new SearchQuery(text, 5, 0, SearchMode.HYBRID, SearchFilters.NONE);
  }

  /** Every encode takes {@code d} on the manual clock. */
  void encodesTake(Duration d) {
    encoder.onEncode = () -> clock.advance(d);
  }

  /** Every encode waits for {@link #gate}, then takes {@code d}. */
  void encodesWaitForTheGateThenTake(Duration d, CountDownLatch entered) {
    encoder.onEncode =
        () -> {
          entered.countDown();
          try {
            gate.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          clock.advance(d);
        };
  }

  Future<SearchResponse> submit(SearchService s, String text, Duration budget) {
    Deadline d = deadline(budget); // arrives now, on the manual clock
    return pool.submit(() -> s.search(query(text), d));
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(1);
    }
  }

  static void await(CountDownLatch latch) throws InterruptedException {
    latch.await();
  }

  static OverloadedException refusal(Future<SearchResponse> f) throws InterruptedException {
    try {
      f.get();
      throw new AssertionError("expected a refusal");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof OverloadedException o) {
        return o;
      }
      throw new AssertionError("expected OverloadedException", e.getCause());
    }
  }

  double shed(String reason) {
    Counter c = registry.find("search.shed").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void overTheInFlightLimitRequestsAreRefusedAtOnceNotQueued() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-in-flight", "2",
                "shopsearch.overload.max-encode-concurrency", "2"));
    CountDownLatch entered = new CountDownLatch(2);
    encodesWaitForTheGateThenTake(Duration.ofMillis(5), entered);
    List<Future<SearchResponse>> held =
        List.of(
            submit(s, "held one", Duration.ofSeconds(60)),
            submit(s, "held two", Duration.ofSeconds(60)));
    await(entered);
    // Both permits are held by encodes that cannot finish: every further request must be
    // answered (refused) now, on this thread, not queued behind them.
    for (int i = 0; i < 10; i++) {
      String text = "more " + i;
      assertThatThrownBy(() -> s.search(query(text), deadline(Duration.ofSeconds(60))))
          .isInstanceOfSatisfying(
              OverloadedException.class,
              e -> assertThat(e.reason()).isEqualTo(ShedReason.IN_FLIGHT_LIMIT));
    }
    assertThat(encoder.calls.get()).isEqualTo(2);
    gate.countDown();
    for (Future<SearchResponse> f : held) {
      assertThat(f.get().hits()).isNotEmpty();
    }
    assertThat(shed("in_flight_limit")).isEqualTo(10);
  }

  @Test
  void withLexicalFallbackTheRefusedGetDegradedLexicalResults() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.overload.max-in-flight", "1",
                "shopsearch.overload.on-overload", "lexical",
                "shopsearch.overload.max-degraded-in-flight", "64"));
    CountDownLatch entered = new CountDownLatch(1);
    encodesWaitForTheGateThenTake(Duration.ofMillis(5), entered);
    Future<SearchResponse> held = submit(s, "red dress", Duration.ofSeconds(60));
    await(entered);
    for (int i = 0; i < 7; i++) {
      SearchResponse r = s.search(query("red dress " + i), deadline(Duration.ofSeconds(60)));
      assertThat(r.degraded()).isTrue();
      assertThat(r.mode()).isEqualTo("lexical");
      assertThat(r.degradedReason()).isEqualTo("in_flight_limit");
      assertThat(r.timings()).doesNotContainKey("encode");
      assertThat(r.hits()).isNotEmpty();
    }
    gate.countDown();
    assertThat(held.get().degraded()).isFalse();
    assertThat(registry.get("search.degraded").counter().count()).isEqualTo(7);
  }

  @Test
  void aBurstIsServedUpToWhatFitsTheDeadlineAndWhatCannotStartIsRefusedAtOnce() throws Exception {
    SearchService s = service(Map.of("shopsearch.overload.max-encode-concurrency", "1"));
    encodesTake(Duration.ofSeconds(10));
    s.search(query("teach the estimate"), deadline(Duration.ofSeconds(60)));
    int before = encoder.calls.get();
    encodesWaitForTheGateThenTake(Duration.ofSeconds(10), new CountDownLatch(1));

    // 12 requests arrive together with 35 s each; one encoder, an encode takes 10 s.
    List<Future<SearchResponse>> burst = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      burst.add(submit(s, "query " + i, Duration.ofSeconds(35)));
    }
    await(() -> burst.stream().filter(Future::isDone).count() + embedder.pendingEncodes() == 12);
    // Encodes would start at 0, 10, 20, 30 s: a fifth could not even start within 35 s. Those
    // eight were refused before queueing, while the encoder was still blocked.
    assertThat(embedder.pendingEncodes()).isEqualTo(4);
    List<Future<SearchResponse>> refused = burst.stream().filter(Future::isDone).toList();
    assertThat(refused).hasSize(8);
    for (Future<SearchResponse> f : refused) {
      OverloadedException e = refusal(f);
      assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE);
      assertThat(e.getMessage()).contains("deadline cannot be met");
    }
    gate.countDown();
    // Three are done by 30 s; the fourth reaches the encoder at 30 s with 5 s left, less than an
    // encode takes, and is skipped rather than encoded for nobody.
    List<String> outcomes = new ArrayList<>();
    for (Future<SearchResponse> f : burst) {
      if (!refused.contains(f)) {
        try {
          outcomes.add(f.get().hits().isEmpty() ? "empty" : "ok");
        } catch (ExecutionException e) {
          outcomes.add(e.getCause().getMessage().startsWith("encode skipped") ? "skipped" : "?");
        }
      }
    }
    assertThat(outcomes).containsExactlyInAnyOrder("ok", "ok", "ok", "skipped");
    assertThat(encoder.calls.get() - before).isEqualTo(3);
    assertThat(shed("deadline")).isEqualTo(9);
  }

  @Test
  void aQueuedEncodeThatCanNoLongerFinishInTimeIsSkipped() throws Exception {
    SearchService s = service(Map.of("shopsearch.overload.max-encode-concurrency", "1"));
    encodesTake(Duration.ofSeconds(10));
    s.search(query("teach the estimate"), deadline(Duration.ofSeconds(60)));
    int before = encoder.calls.get();
    // A: the next encode is slower than usual (20 s) and holds the only encoder thread.
    CountDownLatch entered = new CountDownLatch(1);
    encodesWaitForTheGateThenTake(Duration.ofSeconds(20), entered);
    Future<SearchResponse> a = submit(s, "slow one", Duration.ofSeconds(60));
    await(entered);
    // B: admitted (10 s wait + 10 s encode < 25 s), but it reaches the encoder at 20 s with 5 s
    // left, less than an encode takes: it must be skipped, not encoded for nobody.
    Future<SearchResponse> b = submit(s, "too late", Duration.ofSeconds(25));
    await(() -> embedder.pendingEncodes() == 2);
    gate.countDown();
    assertThat(a.get().hits()).isNotEmpty();
    OverloadedException e = refusal(b);
    assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE);
    assertThat(e.getMessage()).contains("encode skipped");
    assertThat(encoder.calls.get()).as("only A was encoded").isEqualTo(before + 1);
  }

  @Test
  void anIdleServiceServesEveryRequestAfterAnOverload() throws Exception {
    // The numbers (150 ms encodes in an overload, then a 100 ms deadline, one request every
    // 50 ms, a 2 s estimate window) scaled by 100 on the manual clock: the handoffs to the encoder
    // and search threads are waited in real time for up to the deadline's remaining (manual) time,
    // 10 s here instead of 100 ms, so a machine too busy to switch threads within 100 ms cannot
    // turn a served request into a refusal.
    SearchService s = service(Map.of("shopsearch.overload.estimate-window", "200s"));
    // During an overload encodes took 15 s, longer than the whole 10 s deadline.
    encodesTake(Duration.ofSeconds(15));
    for (int i = 0; i < 5; i++) {
      s.search(query("busy " + i), deadline(Duration.ofSeconds(60)));
    }
    assertThat(embedder.recentEncodeNanos()).isEqualTo(Duration.ofSeconds(15).toNanos());
    // The load is gone: 40 sequential requests with a 10 s deadline, one every 5 s.
    // None may be refused on the estimate of the busy period: an idle encoder always runs.
    encodesTake(Duration.ofMillis(500));
    for (int i = 0; i < 40; i++) {
      SearchResponse r = s.search(query("calm " + i), deadline(Duration.ofSeconds(10)));
      assertThat(r.hits()).isNotEmpty();
      clock.advance(Duration.ofMillis(4500));
    }
    assertThat(shed("deadline")).isZero();
    // And the estimate itself has forgotten the busy period within one window (200 s).
    assertThat(embedder.recentEncodeNanos()).isEqualTo(Duration.ofMillis(500).toNanos());
  }

  @Test
  void aCachedQueryNeedsNoEncoderAndIsServedWhileEncodesQueue() throws Exception {
    SearchService s =
        service(
            Map.of(
                "shopsearch.cache.enabled", "true",
                "shopsearch.overload.max-encode-concurrency", "1"));
    encodesTake(Duration.ofSeconds(10));
    s.search(query("red dress"), deadline(Duration.ofSeconds(60)));
    CountDownLatch entered = new CountDownLatch(1);
    encodesWaitForTheGateThenTake(Duration.ofSeconds(10), entered);
    Future<SearchResponse> busy = submit(s, "blue jacket", Duration.ofSeconds(60));
    await(entered);
    // An uncached query with 5 s could not even start before the running 10 s encode ends.
    assertThatThrownBy(() -> s.search(query("green shirt"), deadline(Duration.ofSeconds(5))))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("cannot be met");
    // The cached one is answered with the same budget.
    SearchResponse cached = s.search(query("red dress"), deadline(Duration.ofSeconds(5)));
    assertThat(cached.embeddingCached()).isTrue();
    gate.countDown();
    assertThat(busy.get().hits()).isNotEmpty();
  }

  @Test
  void batchedEncodesGiveUpAtTheDeadline() throws Exception {
    SearchService s = service(Map.of("shopsearch.batching.enabled", "true"));
    CountDownLatch entered = new CountDownLatch(1);
    encodesWaitForTheGateThenTake(Duration.ZERO, entered);
    // The encode never finishes while the gate is shut; the request must give up on its own
    // (the manual clock stands still, so its 300 ms are waited in real time).
    assertThatThrownBy(() -> s.search(query("never in time"), deadline(Duration.ofMillis(300))))
        .isInstanceOfSatisfying(
            OverloadedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ShedReason.DEADLINE);
              assertThat(e.getMessage()).contains("did not finish within the 300 ms deadline");
            });
    assertThat(gate.getCount()).as("gave up while the encode was still running").isEqualTo(1);
  }
}
