package dev.shopsearch.service.index;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.model.ModelLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Loads the model, then opens the index and starts watching {@code CURRENT}, on a background thread
 * so that the HTTP server (liveness, metrics, the storefront) is up while readiness stays DOWN. A
 * model that fails to load leaves readiness DOWN with the error in the health details.
 */
public final class ServingLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ServingLifecycle.class);

  private final ServiceProperties properties;
  private final ModelLoader loader;
  private final ModelHolder models;
  private final IndexManager index;
  private final SearchMetrics metrics;
  private volatile boolean running;
  private Thread thread;

  public ServingLifecycle(
      ServiceProperties properties,
      ModelLoader loader,
      ModelHolder models,
      IndexManager index,
      SearchMetrics metrics) {
    this.properties = properties;
    this.loader = loader;
    this.models = models;
    this.index = index;
    this.metrics = metrics;
  }

  @Override
  public synchronized void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("serving-load").start(this::load);
  }

  private void load() {
    long t0 = System.nanoTime();
    try {
      LoadedModel model = loader.load(properties.model());
      // Warm up the sessions before readiness: the first calls are much slower (allocation,
      // kernel selection) and would otherwise hit the first users and the latency estimate.
      model.text().encode(java.util.List.of("warm up", "a warm up query of a few more words"));
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
    if (running) {
      index.startWatching(properties.index().watchInterval());
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
