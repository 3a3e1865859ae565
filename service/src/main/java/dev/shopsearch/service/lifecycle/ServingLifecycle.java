package dev.shopsearch.service.lifecycle;

import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.index.IndexProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.model.ModelProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the model, then opens the index and starts watching {@code CURRENT}, waits for the first
 * generation, then runs the warm-up — all on a background thread, so that the HTTP server
 * (liveness, metrics, the storefront) is up while readiness stays DOWN. A model that fails to load
 * leaves readiness DOWN with the error in the health details.
 */
public final class ServingLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ServingLifecycle.class);

  private final ModelProperties modelSettings;
  private final IndexProperties indexSettings;
  private final ModelLoader loader;
  private final ModelHolder models;
  private final IndexManager index;
  private final SearchMetrics metrics;
  private final Runnable warmup;
  private final java.util.function.BooleanSupplier servable;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param servable whether the search backend can serve (the embedded index has a generation, or
   *     the OpenSearch alias names one the model guard accepts): the warm-up waits for it
   */
  public ServingLifecycle(
      ModelProperties modelSettings,
      IndexProperties indexSettings,
      ModelLoader loader,
      ModelHolder models,
      IndexManager index,
      SearchMetrics metrics,
      Runnable warmup,
      java.util.function.BooleanSupplier servable) {
    this.servable = servable;
    this.modelSettings = modelSettings;
    this.indexSettings = indexSettings;
    this.loader = loader;
    this.models = models;
    this.index = index;
    this.metrics = metrics;
    this.warmup = warmup;
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("serving-load").start(this::load);
  }

  private void load() {
    long t0 = System.nanoTime();
    try {
      LoadedModel model = loader.load(modelSettings);
      models.set(model);
      metrics.modelLoaded(
          model.manifest().name(),
          model.manifest().version(),
          model.hash(),
          model.provider().toString());
      log.info(
          "model {} {} loaded in {} ms (dim {}, provider {})",
          model.manifest().name(),
          model.manifest().version(),
          (System.nanoTime() - t0) / 1_000_000,
          model.manifest().dim(),
          model.provider());
    } catch (RuntimeException e) {
      models.failed(e.getMessage());
      log.error("model failed to load; readiness stays DOWN", e);
      return;
    }
    if (!running) {
      return;
    }
    index.startWatching(indexSettings.watchInterval());
    try {
      awaitFirstGeneration();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (running) {
      warmup.run();
    }
  }

  /** The warm-up needs an index: until the indexer publishes one, readiness stays DOWN anyway. */
  private void awaitFirstGeneration() throws InterruptedException {
    if (!servable.getAsBoolean()) {
      log.info("waiting for a first index generation before the warm-up");
    }
    long pollMillis = Math.max(10, Math.min(200, indexSettings.watchInterval().toMillis()));
    while (running && !servable.getAsBoolean()) {
      Thread.sleep(pollMillis);
    }
  }

  /** Waits for the background load (tests). */
  public void awaitLoaded(long millis) throws InterruptedException {
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      t.join(millis);
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts before the web server; stops after it has drained (graceful shutdown). */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }
}
