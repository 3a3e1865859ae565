package dev.shopsearch.service.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns a query into its embedding: normalise, look up the Caffeine cache (key = model hash +
 * normalised query), otherwise encode — through the {@link MicroBatcher} when batching is on, else
 * directly on {@code maxEncodeConcurrency} platform encoder threads. Waiting for the encoder never
 * outlives the request's {@link Deadline}. Thread-safe.
 */
@Component
public class QueryEmbedder implements AutoCloseable {
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** An embedding and whether it came from the cache. */
  public record Embedding(float[] vector, boolean cached) {}

  private final ModelHolder models;
  private final ServiceProperties.Batching batching;
  private final SearchMetrics metrics;
  private final ExecutorService encoders;
  private final Cache<String, float[]> cache;
  private volatile MicroBatcher batcher;
  private volatile LoadedModel batcherModel;
  private final int maxEncodeConcurrency;
  private final AtomicInteger pending = new AtomicInteger();
  private final Ewma encodeNanos = new Ewma(0.2);

  /**
   * After this long without an encode, the estimate is ignored and a request probes the encoder.
   */
  public static final java.time.Duration PROBE_AFTER = java.time.Duration.ofSeconds(1);

  public QueryEmbedder(
      ModelHolder models,
      ServiceProperties properties,
      SearchMetrics metrics,
      MeterRegistry registry) {
    this.models = models;
    this.batching = properties.batching();
    this.metrics = metrics;
    this.maxEncodeConcurrency = properties.overload().maxEncodeConcurrency();
    this.encoders =
        Executors.newFixedThreadPool(
            maxEncodeConcurrency, Thread.ofPlatform().daemon().name("encoder-", 0).factory());
    ServiceProperties.Cache c = properties.cache();
    if (c.enabled()) {
      this.cache =
          Caffeine.newBuilder()
              .maximumSize(c.maxSize())
              .expireAfterWrite(c.ttl())
              .recordStats()
              .build();
      CaffeineCacheMetrics.monitor(registry, cache, "query-embeddings");
    } else {
      this.cache = null;
    }
  }

  /**
   * Collapses whitespace and applies Unicode NFKC; the result is what gets encoded.
   *
   * @return the normalised query, possibly empty
   */
  public static String normalise(String query) {
    String n = Normalizer.normalize(query, Normalizer.Form.NFKC);
    return SPACES.matcher(n).replaceAll(" ").trim();
  }

  /**
   * The embedding of an already normalised, non-blank query.
   *
   * @throws OverloadedException if the encoder cannot answer within the deadline
   * @throws NotReadyException if no model is loaded
   */
  public Embedding embed(String normalised, Deadline deadline) {
    LoadedModel model = models.current();
    String key = null;
    if (cache != null) {
      key = key(model, normalised);
      float[] hit = cache.getIfPresent(key);
      if (hit != null) {
        return new Embedding(hit, true);
      }
    }
    pending.incrementAndGet();
    float[] vector;
    try {
      vector =
          batchingOn(model)
              ? viaBatcher(model, normalised, deadline)
              : direct(model, normalised, deadline);
    } finally {
      pending.decrementAndGet();
    }
    if (key != null) {
      cache.put(key, vector);
    }
    return new Embedding(vector, false);
  }

  /**
   * Runs an encoder call (text without batching, image tower, consistency) on the encoder threads.
   *
   * <p>Encoder calls run on {@code maxEncodeConcurrency} platform threads, never on the request's
   * virtual thread: a native ONNX Runtime call pins its carrier thread, and with as many carriers
   * as cores a few pinned encodes would starve request handling (and with it admission control) of
   * CPU. The caller's virtual thread just waits, at most until its deadline; a call still queued at
   * the deadline is cancelled and never runs.
   *
   * @throws OverloadedException if the call does not finish before the deadline
   */
  public <T> T withEncoderSlot(Deadline deadline, Supplier<T> work) {
    Future<T> future = encoders.submit(work::get);
    try {
      return future.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new OverloadedException(
          OverloadedException.Reason.DEADLINE,
          String.format(
              Locale.ROOT,
              "encoding did not finish within the %d ms deadline (%d encoder threads busy)",
              deadline.budgetMillis(),
              maxEncodeConcurrency));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new OverloadedException(OverloadedException.Reason.DEADLINE, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private float[] direct(LoadedModel model, String text, Deadline deadline) {
    return withEncoderSlot(
        deadline,
        () -> {
          // Queued behind other encodes, this request may no longer have time for its own:
          // skip it rather than spend the encoder on an answer nobody will get.
          // (A stale estimate is ignored, as in admission: the request then probes the encoder.)
          long expected = encodeNanos.get();
          boolean fresh = encodeNanos.ageNanos() <= PROBE_AFTER.toNanos();
          if (fresh && expected > 0 && deadline.remainingNanos() < expected) {
            throw new OverloadedException(
                OverloadedException.Reason.DEADLINE,
                String.format(
                    Locale.ROOT,
                    "not encoded: %.1f ms left of the %d ms deadline, an encode takes ~%.1f ms",
                    deadline.remainingNanos() / 1e6,
                    deadline.budgetMillis(),
                    expected / 1e6));
          }
          metrics.batch(1);
          long t0 = System.nanoTime();
          float[] v = model.text().encode(text);
          encodeNanos.add(System.nanoTime() - t0);
          return v;
        });
  }

  private float[] viaBatcher(LoadedModel model, String text, Deadline deadline) {
    CompletableFuture<float[]> future = batcher(model).submit(text);
    try {
      return future.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new OverloadedException(
          OverloadedException.Reason.DEADLINE,
          "text encoding did not finish within the " + deadline.budgetMillis() + " ms deadline");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new OverloadedException(OverloadedException.Reason.DEADLINE, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private boolean batchingOn(LoadedModel model) {
    Boolean enabled = batching.enabled();
    return enabled != null ? enabled : model.provider().onGpu();
  }

  private MicroBatcher batcher(LoadedModel model) {
    MicroBatcher b = batcher;
    if (b != null && batcherModel == model) {
      return b;
    }
    synchronized (this) {
      if (batcher == null || batcherModel != model) {
        if (batcher != null) {
          batcher.close();
        }
        batcher =
            new MicroBatcher(
                texts -> {
                  long t0 = System.nanoTime();
                  List<float[]> v = model.text().encode(texts);
                  encodeNanos.add(System.nanoTime() - t0);
                  return v;
                },
                batching.maxBatch(),
                batching.maxWait(),
                batching.queueCapacity(),
                maxEncodeConcurrency,
                metrics::batch);
        batcherModel = model;
      }
      return batcher;
    }
  }

  /**
   * How long a new (uncached) encode is expected to take now, queueing included: the recent encoder
   * call time (EWMA of the calls themselves) times the rounds needed to get through the encodes
   * already waiting ({@code maxEncodeConcurrency} per round, times {@code maxBatch} when batching).
   * 0 before the first encode and when no encode finished for {@link #PROBE_AFTER}, so that a stale
   * estimate cannot refuse every request forever.
   */
  public long expectedEncodeNanos() {
    LoadedModel model = models.orNull();
    long recent = encodeNanos.get();
    if (model == null || recent == 0 || encodeNanos.ageNanos() > PROBE_AFTER.toNanos()) {
      return 0;
    }
    int perRound =
        batchingOn(model) ? maxEncodeConcurrency * batching.maxBatch() : maxEncodeConcurrency;
    int rounds = 1 + pending.get() / perRound;
    return recent * rounds;
  }

  /** Encodes waiting or running now. */
  public int pendingEncodes() {
    return pending.get();
  }

  /** Whether the embedding of this normalised query is cached for the loaded model. */
  public boolean isCached(String normalised) {
    LoadedModel model = models.orNull();
    return cache != null && model != null && cache.asMap().containsKey(key(model, normalised));
  }

  private static String key(LoadedModel model, String normalised) {
    boolean lower = model.manifest().textSpec() == null || model.manifest().textSpec().lowercase();
    return model.hash() + '\n' + (lower ? normalised.toLowerCase(Locale.ROOT) : normalised);
  }

  /** Texts the cache holds (0 when disabled). */
  public long cacheSize() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  /** Stops the micro-batcher; the encoders belong to {@link ModelHolder}. */
  @Override
  public synchronized void close() {
    encoders.shutdownNow();
    if (batcher != null) {
      batcher.close();
      batcher = null;
    }
  }

  /** Exponentially weighted moving average of a latency. */
  static final class Ewma {
    private final double alpha;
    private double value;
    private long updated = System.nanoTime();

    Ewma(double alpha) {
      this.alpha = alpha;
    }

    synchronized void add(long sample) {
      value = value == 0 ? sample : value + alpha * (sample - value);
      updated = System.nanoTime();
    }

    synchronized long ageNanos() {
      return System.nanoTime() - updated;
    }

    synchronized long get() {
      return (long) value;
    }
  }
}
