package dev.shopsearch.service.metrics;

import dev.shopsearch.service.overload.ShedReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.springframework.stereotype.Component;

/**
 * The service's own meters (dot-separated names; Prometheus turns them into snake_case). Tag values
 * are bounded: endpoints, stages, modes and reasons are fixed sets.
 *
 * <ul>
 *   <li>{@code search.request} timer (tags endpoint, mode, outcome) and {@code search.stage} timer
 *       (tag stage = encode, knn, lexical, fusion, fetch), both with SLO buckets
 *   <li>{@code search.shed} counter (tag reason), {@code search.degraded} counter
 *   <li>{@code search.encode.batch.size} summary, {@code search.inflight} gauge
 *   <li>{@code search.index.documents}, {@code search.index.products}, {@code
 *       search.index.generation} gauges; {@code search.index.rejected} counter (tag reason)
 *   <li>{@code search.model.info} gauge = 1 with tags model, version, hash, provider
 * </ul>
 *
 * Thread-safe.
 */
@Component
public class SearchMetrics {
  private static final Duration[] SLOS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(20),
    Duration.ofMillis(30),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final DistributionSummary batchSizes;
  private final AtomicLong documents = new AtomicLong();
  private final AtomicLong products = new AtomicLong();
  private final AtomicLong generation = new AtomicLong(-1);
  private final AtomicReference<Gauge> modelInfo = new AtomicReference<>();

  public SearchMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSizes =
        DistributionSummary.builder("search.encode.batch.size")
            .description("Texts per encoder call (micro-batching)")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
            .register(registry);
    Gauge.builder("search.index.documents", documents, AtomicLong::get)
        .description("Lucene documents (products and images) in the served generation")
        .register(registry);
    Gauge.builder("search.index.products", products, AtomicLong::get)
        .description("Products in the served generation")
        .register(registry);
    Gauge.builder("search.index.generation", generation, AtomicLong::get)
        .description("Served index generation number (-1 before the first)")
        .register(registry);
  }

  /**
   * Registers the in-flight gauge. The supplier is held strongly: Micrometer keeps a gauge's state
   * weakly by default, and a lambda referenced by nothing else would be collected (NaN).
   */
  public void bindInFlight(IntSupplier inFlight) {
    Gauge.builder("search.inflight", inFlight, s -> s.getAsInt())
        .description("Searches admitted and not finished")
        .strongReference(true)
        .register(registry);
  }

  /** Registers the open-generations gauge (supplier held strongly, as for the in-flight one). */
  public void bindOpenGenerations(IntSupplier open) {
    Gauge.builder("search.index.open", open, s -> s.getAsInt())
        .description("Index generations with an open reader (2 while a swap drains)")
        .strongReference(true)
        .register(registry);
  }

  /** Records one pipeline stage. */
  public void stage(String stage, long nanos) {
    timer("search.stage", "Latency of one query stage", Tags.of("stage", stage))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Records one finished request. */
  public void request(String endpoint, String mode, String outcome, long nanos) {
    timer(
            "search.request",
            "Latency of a search request inside the service",
            Tags.of("endpoint", endpoint, "mode", mode, "outcome", outcome))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a refused request. */
  public void shed(ShedReason reason) {
    Counter.builder("search.shed")
        .description("Requests refused with 503 (in-flight limit, deadline, encode queue)")
        .tag("reason", reason.tag())
        .register(registry)
        .increment();
  }

  /** Counts a request answered with lexical-only results. */
  public void degraded(ShedReason reason) {
    Counter.builder("search.degraded")
        .description("Requests answered lexical-only (degraded: true)")
        .tag("reason", reason.tag())
        .register(registry)
        .increment();
  }

  /** Records the size of one encoder batch. */
  public void batch(int size) {
    batchSizes.record(size);
  }

  /** Counts an index generation that was refused (model mismatch, unreadable). */
  public void indexRejected(String reason) {
    Counter.builder("search.index.rejected")
        .description("Index generations refused (model mismatch or unreadable); old one kept")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** Publishes the served generation's sizes. */
  public void indexServed(long generationNumber, long documentCount, long productCount) {
    generation.set(generationNumber);
    documents.set(documentCount);
    products.set(productCount);
  }

  /** Publishes model and provider as an info gauge. */
  public synchronized void modelLoaded(String name, String version, String hash, String provider) {
    Gauge old = modelInfo.get();
    if (old != null) {
      registry.remove(old);
    }
    modelInfo.set(
        Gauge.builder("search.model.info", () -> 1)
            .description("Loaded model bundle and execution provider")
            .tags(
                Tags.of(
                    "model", name,
                    "version", version,
                    "hash", shortHash(hash),
                    "provider", provider))
            .register(registry));
  }

  static String shortHash(String hash) {
    if (hash == null) {
      return "none";
    }
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  private Timer timer(String name, String description, Tags tags) {
    String key = name + tags;
    return timers.computeIfAbsent(
        key,
        k ->
            Timer.builder(name)
                .description(description)
                .tags(tags)
                .serviceLevelObjectives(SLOS)
                .register(registry));
  }
}
