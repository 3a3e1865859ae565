package dev.shopsearch.service.index;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMismatchException;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.NotReadyException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the index generation named by {@code CURRENT} and swaps to a new one without dropping a
 * request: the new generation is opened and checked first; only then does {@link #acquire()} start
 * returning it, and the old one closes when its last in-flight search releases it.
 *
 * <p>A generation built with another model (name, dim, similarity or content hash differ) is
 * refused: the old one keeps serving, the refusal is logged once and counted in {@code
 * search.index.rejected}. Thread-safe; {@link #refresh()} is serialised.
 */
public final class IndexManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexManager.class);

  private final IndexGenerations generations;
  private final Supplier<BundleManifest> model;
  private final SearchMetrics metrics;
  private final AtomicReference<IndexHandle> current = new AtomicReference<>();
  private final AtomicInteger openGenerations = new AtomicInteger();
  private volatile long lastRefused = -1;
  private volatile String lastError;
  private ScheduledExecutorService watcher;

  /**
   * @param root index root holding the generations and {@code CURRENT}
   * @param model supplies the served model's manifest (the index must match it)
   * @param metrics meters
   */
  public IndexManager(
      java.nio.file.Path root, Supplier<BundleManifest> model, SearchMetrics metrics) {
    this.generations = root == null ? null : new IndexGenerations(root);
    this.model = model;
    this.metrics = metrics;
    metrics.bindOpenGenerations(openGenerations::get);
  }

  /**
   * A manager that serves nothing, for a service whose search backend is not the embedded index and
   * that has no {@code shopsearch.index.root}: never ready, {@link #acquire} refuses with {@code
   * reason} (the features that read the embedded index answer 503 with it).
   */
  public static IndexManager unused(String reason, SearchMetrics metrics) {
    IndexManager m = new IndexManager(null, () -> null, metrics);
    m.lastError = reason;
    return m;
  }

  /** Creates the manager for the configured root. */
  public static IndexManager create(
      IndexProperties settings, Supplier<BundleManifest> model, SearchMetrics metrics) {
    if (settings.root() == null) {
      throw new IllegalArgumentException("shopsearch.index.root must be set");
    }
    return new IndexManager(settings.root(), model, metrics);
  }

  /** Opens the current generation now and then checks {@code CURRENT} every {@code interval}. */
  public synchronized void startWatching(java.time.Duration interval) {
    refresh();
    if (watcher == null && generations != null) {
      watcher =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("index-watch").factory());
      long ms = Math.max(10, interval.toMillis());
      watcher.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.error("index refresh failed", e);
    }
  }

  /**
   * Opens {@code CURRENT}'s generation if it is not the one served.
   *
   * @return true when a new generation is now served
   */
  public synchronized boolean refresh() {
    if (generations == null) {
      return false; // unused(): nothing to open
    }
    Optional<Generation> target;
    try {
      target = generations.current();
    } catch (IOException e) {
      noteError("unreadable", "cannot read " + generations.root() + "/CURRENT: " + e.getMessage());
      return false;
    }
    if (target.isEmpty()) {
      if (current.get() == null) {
        lastError = "no published index generation under " + generations.root();
      }
      return false;
    }
    Generation gen = target.get();
    IndexHandle served = current.get();
    if (served != null && served.generation() == gen.number()) {
      return false;
    }
    if (gen.number() == lastRefused) {
      return false;
    }
    OpenIndex open;
    try {
      open = IndexGenerations.open(gen);
    } catch (IOException | RuntimeException e) {
      lastRefused = gen.number();
      noteError("unreadable", "cannot open index " + gen.dir() + ": " + e.getMessage());
      return false;
    }
    IndexHandle fresh;
    try {
      open.metadata().checkQueryCompatible(model.get());
      fresh = new IndexHandle(open, openGenerations::decrementAndGet);
      openGenerations.incrementAndGet();
    } catch (IndexMismatchException e) {
      closeQuietly(open);
      lastRefused = gen.number();
      noteError(
          "model_mismatch", "refused index generation " + gen.number() + ": " + e.getMessage());
      return false;
    } catch (RuntimeException e) {
      closeQuietly(open);
      lastRefused = gen.number();
      noteError("unreadable", "cannot serve index " + gen.dir() + ": " + e.getMessage());
      return false;
    }
    IndexHandle old = current.getAndSet(fresh);
    lastError = null;
    metrics.indexServed(fresh.generation(), fresh.documents(), fresh.products());
    log.info(
        "serving index generation {} ({} products, {} documents, vectors {})",
        fresh.generation(),
        fresh.products(),
        fresh.documents(),
        fresh.metadata().vectorFormat().key());
    if (old != null) {
      old.close(); // the manager's reference; in-flight searches keep theirs
    }
    return true;
  }

  private void noteError(String reason, String message) {
    metrics.indexRejected(reason);
    lastError = message;
    if (current.get() != null) {
      log.error("{}; still serving generation {}", message, current.get().generation());
    } else {
      log.error(message);
    }
  }

  private static void closeQuietly(OpenIndex open) {
    try {
      open.close();
    } catch (IOException e) {
      log.warn("closing refused index failed", e);
    }
  }

  /**
   * The served generation with a reference taken; close it when the search is done.
   *
   * @throws NotReadyException if no generation is served
   */
  public IndexHandle acquire() {
    while (true) {
      IndexHandle h = current.get();
      if (h == null) {
        throw new NotReadyException(
            lastError == null ? "index is not loaded yet" : "index not loaded: " + lastError);
      }
      if (h.tryIncRef()) {
        return h;
      }
      // Lost a race with a swap that closed h after we read it: the new one is installed already.
    }
  }

  /** The served generation number, or empty. */
  public Optional<Long> servedGeneration() {
    IndexHandle h = current.get();
    return h == null ? Optional.empty() : Optional.of(h.generation());
  }

  /**
   * Generations whose reader is still open: 1 while serving, briefly 2 during a swap while old
   * searches finish.
   */
  public int openGenerations() {
    return openGenerations.get();
  }

  /** Whether a generation is served. */
  public boolean ready() {
    return current.get() != null;
  }

  /** The last refusal or open error, or null. */
  public String lastError() {
    return lastError;
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
    IndexHandle h = current.getAndSet(null);
    if (h != null) {
      h.close();
    }
  }
}
