package dev.shopsearch.service.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.PoolLoad;
import dev.shopsearch.service.overload.ServiceTimeWindow;
import dev.shopsearch.service.overload.ShedReason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Turns a query into its embedding: normalise, look up the Caffeine cache (key = model hash +
 * normalised query), otherwise encode — through the {@link MicroBatcher} when batching is on, else
 * directly on {@code maxEncodeConcurrency} platform encoder threads. Waiting for the encoder never
 * outlives the request's {@link Deadline}.
 *
 * <p>Shedding works on evidence ({@link PoolLoad}): the encodes queued or running now and how long
 * encoder calls took within the last {@code overload.estimate-window}. An encode that would queue
 * is refused up front when its predicted wait + encode + {@code reserve} exceed the time left; one
 * that did queue is skipped when it reaches an encoder thread too late to finish. An encode that
 * finds a free encoder thread always runs. Thread-safe.
 */
@Component
public class QueryEmbedder implements AutoCloseable {
  private static final Pattern SPACES = Pattern.compile("\\s+");

  /** An embedding and whether it came from the cache. */
  public record Embedding(float[] vector, boolean cached) {}

  private final ModelHolder models;
  private final BatchingProperties batching;
  private final SearchMetrics metrics;
  private final ExecutorService encoders;
  private final Cache<String, float[]> cache;
  private volatile MicroBatcher batcher;
  private volatile LoadedModel batcherModel;
  private final int maxEncodeConcurrency;
  private final NanoClock clock;
  private final ServiceTimeWindow textTimes;
  private final ServiceTimeWindow otherTimes;
  private final PoolLoad encoderLoad;
  private final PoolLoad batchLoad;

  @Autowired
  public QueryEmbedder(
      ModelHolder models,
      BatchingProperties batching,
      CacheProperties cacheSettings,
      OverloadProperties overload,
      SearchMetrics metrics,
      MeterRegistry registry) {
    this(models, batching, cacheSettings, overload, metrics, registry, NanoClock.SYSTEM);
  }

  /**
   * @param clock time source of the service-time estimates (the deadlines' clock)
   */
  public QueryEmbedder(
      ModelHolder models,
      BatchingProperties batching,
      CacheProperties cacheSettings,
      OverloadProperties overload,
      SearchMetrics metrics,
      MeterRegistry registry,
      NanoClock clock) {
    this.models = models;
    this.batching = batching;
    this.metrics = metrics;
    this.clock = clock;
    this.maxEncodeConcurrency = overload.maxEncodeConcurrency();
    this.encoders =
        Executors.newFixedThreadPool(
            maxEncodeConcurrency, Thread.ofPlatform().daemon().name("encoder-", 0).factory());
    java.time.Duration window = overload.estimateWindow();
    this.textTimes = new ServiceTimeWindow(window, clock);
    this.otherTimes = new ServiceTimeWindow(window, clock);
    this.encoderLoad = new PoolLoad("encode", "encoder threads", maxEncodeConcurrency, clock);
    this.batchLoad =
        new PoolLoad(
            "encode", "encoder batch places", maxEncodeConcurrency * batching.maxBatch(), clock);
    if (cacheSettings.enabled()) {
      this.cache =
          Caffeine.newBuilder()
              .maximumSize(cacheSettings.maxSize())
              .expireAfterWrite(cacheSettings.ttl())
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
    return embed(normalised, deadline, 0);
  }

  /**
   * The embedding of an already normalised, non-blank query, leaving {@code reserveNanos} of the
   * deadline for what the request does after the encode (its search).
   *
   * @throws OverloadedException if the encode cannot finish within the deadline minus the reserve
   *     (refused before it queues, or skipped when it reaches an encoder thread too late)
   * @throws NotReadyException if no model is loaded
   */
  public Embedding embed(String normalised, Deadline deadline, long reserveNanos) {
    LoadedModel model = models.current();
    String key = null;
    if (cache != null) {
      key = key(model, normalised);
      float[] hit = cache.getIfPresent(key);
      if (hit != null) {
        return new Embedding(hit, true);
      }
    }
    float[] vector =
        batchingOn(model)
            ? viaBatcher(model, normalised, deadline, reserveNanos)
            : direct(model, normalised, deadline, reserveNanos);
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
   * the deadline never runs, and one that queued and reaches a thread with less time left than such
   * calls take is skipped.
   *
   * @throws OverloadedException if the call does not finish before the deadline
   */
  public <T> T withEncoderSlot(Deadline deadline, Supplier<T> work) {
    return onEncoderThread(encoderLoad.enter(otherTimes), deadline, 0, work);
  }

  private <T> T onEncoderThread(
      PoolLoad.Task task, Deadline deadline, long reserveNanos, Supplier<T> work) {
    Future<T> future;
    try {
      future =
          encoders.submit(
              () -> {
                if (!task.start(deadline, reserveNanos)) {
                  throw new OverloadedException(
                      ShedReason.DEADLINE, "encode abandoned at the deadline");
                }
                try {
                  return work.get();
                } finally {
                  task.finish();
                }
              });
    } catch (RuntimeException e) {
      task.abandon();
      throw e;
    }
    return deadline.await(
        future, "encoding", maxEncodeConcurrency + " encoder threads busy", task::abandon);
  }

  private float[] direct(LoadedModel model, String text, Deadline deadline, long reserveNanos) {
    PoolLoad.Task task = encoderLoad.admit(textTimes, deadline, reserveNanos);
    return onEncoderThread(
        task,
        deadline,
        reserveNanos,
        () -> {
          metrics.batch(1);
          return model.text().encode(text);
        });
  }

  private float[] viaBatcher(LoadedModel model, String text, Deadline deadline, long reserveNanos) {
    PoolLoad.Task task = batchLoad.admit(textTimes, deadline, reserveNanos);
    CompletableFuture<float[]> future;
    try {
      future = batcher(model).submit(text);
    } catch (RuntimeException e) {
      task.abandon();
      throw e;
    }
    try {
      return deadline.await(future, "text encoding", null, () -> {});
    } finally {
      // The batcher drops texts whose caller gave up; a batch's duration is recorded as it ends.
      task.abandon();
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
                  long t0 = clock.nanoTime();
                  List<float[]> v = model.text().encode(texts);
                  textTimes.record(clock.nanoTime() - t0);
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

  /** Mean duration of a text encoder call within the estimate window (0: none). */
  public long recentEncodeNanos() {
    return textTimes.meanNanos();
  }

  /** Forgets the measured encode durations (the warm-up's cold calls say nothing about load). */
  public void forgetEstimates() {
    textTimes.clear();
    otherTimes.clear();
  }

  /** Encodes waiting or running now (text and other encoder calls). */
  public int pendingEncodes() {
    return encoderLoad.tasks() + batchLoad.tasks();
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
}
