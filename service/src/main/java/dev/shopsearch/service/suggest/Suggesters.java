package dev.shopsearch.service.suggest;

import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.model.NotReadyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ProductSuggester} per served index generation of the {@link SearchBackend} (embedded
 * or OpenSearch: both list their products through {@link ProductIndexView#forEachLabels}), built on
 * a background thread when the generation has been served for one {@code poll} interval (or at once
 * for the first suggestion request). The suggesters of the newest two generations seen are kept (a
 * request may still hold a view of the previous one just after a swap); older ones are closed.
 * Until a generation's suggester is built, {@link #get} waits at most the given time and then
 * refuses with {@link NotReadyException} (503); an engine outage during the build is rethrown as
 * {@link BackendUnavailableException} (503 {@code engine-unavailable}) and the next request
 * retries. Logs once per generation when its schema predates the CJK fields. Thread-safe.
 */
public final class Suggesters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Suggesters.class);

  /** Generations whose suggesters are kept. */
  private static final int KEEP = 2;

  private final SearchBackend backend;
  private final ScheduledExecutorService worker;
  private final Map<Long, CompletableFuture<ProductSuggester>> byGeneration =
      new ConcurrentHashMap<>();

  /** The generation the previous poll saw (read and written by the worker thread only). */
  private long lastSeen = -1;

  /**
   * @param backend the served generations
   * @param poll how often to look for a newly served generation to build for
   */
  public Suggesters(SearchBackend backend, Duration poll) {
    this.backend = backend;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("suggest-build").factory());
    long ms = Math.max(10, poll.toMillis());
    worker.scheduleWithFixedDelay(this::warm, 0, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * The suggester of the generation {@code view} serves.
   *
   * @param view the generation, held by the caller
   * @param waitNanos longest wait for a build in progress
   * @throws NotReadyException when the build takes longer
   * @throws BackendUnavailableException when the engine failed during the build
   */
  public ProductSuggester get(ProductIndexView view, long waitNanos) {
    long generation = view.generation();
    CompletableFuture<ProductSuggester> f = of(generation);
    try {
      return f.get(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new NotReadyException(
          String.format(
              Locale.ROOT,
              "suggestions for index generation %d are still being built",
              generation));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotReadyException("interrupted while waiting for suggestions");
    } catch (ExecutionException e) {
      byGeneration.remove(generation, f); // the next request retries
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
      switch (cause) {
        case BackendUnavailableException unavailable -> throw unavailable;
        case NotReadyException notReady -> throw notReady;
        case UncheckedIOException io -> throw io;
        case IOException io -> throw new UncheckedIOException(io);
        default -> throw new IllegalStateException("building suggestions failed", cause);
      }
    }
  }

  /** The build of {@code generation}, started if it was not yet. */
  private CompletableFuture<ProductSuggester> of(long generation) {
    return byGeneration.computeIfAbsent(
        generation,
        g -> {
          CompletableFuture<ProductSuggester> f;
          try {
            f = CompletableFuture.supplyAsync(() -> build(g), worker);
          } catch (RejectedExecutionException e) {
            throw new NotReadyException("the service is shutting down");
          }
          worker.execute(() -> retire(g));
          return f;
        });
  }

  /** Closes the suggesters of generations older than the newest {@value #KEEP}. */
  private void retire(long newest) {
    byGeneration.keySet().stream()
        .sorted(java.util.Comparator.reverseOrder())
        .skip(KEEP)
        .forEach(
            old -> {
              CompletableFuture<ProductSuggester> gone = byGeneration.remove(old);
              if (gone != null) {
                gone.thenAccept(Suggesters::closeQuietly);
              }
            });
  }

  /**
   * Builds the suggester of {@code generation} from a view of its own (the caller's view belongs to
   * its request); refuses when the backend has moved on to another generation meanwhile.
   */
  private ProductSuggester build(long generation) {
    long t0 = System.nanoTime();
    try (ProductIndexView view = backend.acquire()) {
      if (view.generation() != generation) {
        throw new NotReadyException(
            String.format(
                Locale.ROOT,
                "index generation %d is no longer served (now %d)",
                generation,
                view.generation()));
      }
      if (!view.metadata().hasLexicalFields()) {
        log.warn(
            "index generation {} has schema version {}: Chinese text is matched character by"
                + " character and attribute values are not searchable; rebuild it ('indexer"
                + " build') for CJK word matching",
            generation,
            view.metadata().schemaVersion());
      }
      ProductSuggester s = ProductSuggester.build(view::forEachLabels);
      log.info(
          "suggestions for index generation {}: {} names and categories in {} ms ({} KiB)",
          generation,
          s.entries(),
          (System.nanoTime() - t0) / 1_000_000,
          s.ramBytesUsed() / 1024);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the build for the served generation once it has been served for a poll interval (so that
   * the first searches after a swap do not share the CPU with it), if it has none yet.
   */
  private void warm() {
    if (!backend.ready()) {
      return;
    }
    try (ProductIndexView view = backend.acquire()) {
      long generation = view.generation();
      if (generation == lastSeen) {
        of(generation);
      }
      lastSeen = generation;
    } catch (NotReadyException | BackendUnavailableException e) {
      // swapped out or the engine went away between ready() and acquire(); the next poll retries
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
    for (CompletableFuture<ProductSuggester> f : byGeneration.values()) {
      f.thenAccept(Suggesters::closeQuietly);
    }
    byGeneration.clear();
  }
}
