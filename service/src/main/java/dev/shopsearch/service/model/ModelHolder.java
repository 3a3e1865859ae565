package dev.shopsearch.service.model;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Holds the served model once it is loaded. Loading is done by {@code
 * dev.shopsearch.service.lifecycle.ServingLifecycle}; until then {@link #current()} throws {@link
 * NotReadyException}. Thread-safe.
 */
@Component
public class ModelHolder implements AutoCloseable {
  private final AtomicReference<LoadedModel> model = new AtomicReference<>();
  private volatile String loadError;

  /** The loaded model. */
  public LoadedModel current() {
    LoadedModel m = model.get();
    if (m == null) {
      throw new NotReadyException(
          loadError == null ? "model is still loading" : "model failed to load: " + loadError);
    }
    return m;
  }

  /** The loaded model or null. */
  public LoadedModel orNull() {
    return model.get();
  }

  /** Installs the model (once). */
  public void set(LoadedModel loaded) {
    if (!model.compareAndSet(null, loaded)) {
      throw new IllegalStateException("a model is already loaded");
    }
    loadError = null;
  }

  /** Records why loading failed (reported by readiness and 503 bodies). */
  public void failed(String error) {
    loadError = error;
  }

  /** The last load error, or null. */
  public String loadError() {
    return loadError;
  }

  @Override
  public void close() {
    LoadedModel m = model.getAndSet(null);
    if (m != null) {
      m.close();
    }
  }
}
