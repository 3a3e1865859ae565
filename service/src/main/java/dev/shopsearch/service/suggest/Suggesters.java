package dev.shopsearch.service.suggest;

import dev.shopsearch.service.index.IndexHandle;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.model.NotReadyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.lucene.index.IndexReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ProductSuggester} per served index generation, built on a background thread when the
 * generation has been served for one {@code poll} interval (or at once for the first suggestion
 * request) and closed with the generation's reader, after its last search. Until it is built,
 * {@link #get} waits at most the given time and then refuses with {@link NotReadyException} (503).
 * Logs once per generation when its schema predates the CJK fields. Thread-safe.
 */
public final class Suggesters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Suggesters.class);

  private final IndexManager index;
  private final ScheduledExecutorService worker;
  private final Map<IndexReader.CacheKey, CompletableFuture<ProductSuggester>> byReader =
      new ConcurrentHashMap<>();

  /** The generation the previous poll saw (read and written by the worker thread only). */
  private Object lastSeen;

  /**
   * @param index the served generations
   * @param poll how often to look for a newly served generation to build for
   */
  public Suggesters(IndexManager index, Duration poll) {
    this.index = index;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("suggest-build").factory());
    long ms = Math.max(10, poll.toMillis());
    worker.scheduleWithFixedDelay(this::warm, 0, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * The suggester of the generation {@code h} serves.
   *
   * @param h the generation, held by the caller
   * @param waitNanos longest wait for a build in progress
   * @throws NotReadyException when the build takes longer
   */
  public ProductSuggester get(IndexHandle h, long waitNanos) {
    CompletableFuture<ProductSuggester> f = of(h);
    try {
      return f.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new NotReadyException(
          String.format(
              Locale.ROOT,
              "suggestions for index generation %d are still being built",
              h.generation()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotReadyException("interrupted while waiting for suggestions");
    } catch (ExecutionException e) {
      byReader.values().remove(f); // the next request retries
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException("building suggestions failed", e.getCause());
    }
  }

  /** The build of {@code h}'s generation, started if it was not yet. */
  private CompletableFuture<ProductSuggester> of(IndexHandle h) {
    IndexReader reader = h.searcher().getIndexReader();
    IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
    return byReader.computeIfAbsent(
        helper.getKey(),
        key -> {
          reader.incRef(); // the caller holds one, so the reader is open; released after the build
          CompletableFuture<ProductSuggester> f;
          try {
            f = CompletableFuture.supplyAsync(() -> build(h, reader), worker);
          } catch (RejectedExecutionException e) {
            release(h, reader);
            throw new NotReadyException("the service is shutting down");
          }
          helper.addClosedListener(
              closed -> {
                CompletableFuture<ProductSuggester> gone = byReader.remove(closed);
                if (gone != null) {
                  gone.thenAccept(Suggesters::closeQuietly);
                }
              });
          return f;
        });
  }

  private static ProductSuggester build(IndexHandle h, IndexReader reader) {
    long t0 = System.nanoTime();
    try {
      if (!h.metadata().hasLexicalFields()) {
        log.warn(
            "index generation {} has schema version {}: Chinese text is matched character by"
                + " character and attribute values are not searchable; rebuild it ('indexer"
                + " build') for CJK word matching",
            h.generation(),
            h.metadata().schemaVersion());
      }
      ProductSuggester s = ProductSuggester.build(reader);
      log.info(
          "suggestions for index generation {}: {} names and categories in {} ms ({} KiB)",
          h.generation(),
          s.entries(),
          (System.nanoTime() - t0) / 1_000_000,
          s.ramBytesUsed() / 1024);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      release(h, reader);
    }
  }

  private static void release(IndexHandle h, IndexReader reader) {
    try {
      reader.decRef();
    } catch (IOException e) {
      log.warn("releasing index generation {} failed", h.generation(), e);
    }
  }

  /**
   * Starts the build for the served generation once it has been served for a poll interval (so that
   * the first searches after a swap do not share the CPU with it), if it has none yet.
   */
  private void warm() {
    if (!index.ready()) {
      return;
    }
    try (IndexHandle h = index.acquire()) {
      Object key = h.searcher().getIndexReader().getReaderCacheHelper().getKey();
      if (key.equals(lastSeen)) {
        of(h);
      }
      lastSeen = key;
    } catch (NotReadyException e) {
      // swapped out between ready() and acquire(); the next poll sees the new one
    } catch (RuntimeException e) {
      log.error("starting the suggestion build failed", e);
    }
  }

  private static void closeQuietly(ProductSuggester s) {
    try {
      s.close();
    } catch (IOException e) {
      log.warn("closing a suggester failed", e);
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    for (CompletableFuture<ProductSuggester> f : byReader.values()) {
      f.thenAccept(Suggesters::closeQuietly);
    }
    byReader.clear();
  }
}
