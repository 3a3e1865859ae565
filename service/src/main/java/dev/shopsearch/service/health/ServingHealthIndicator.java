package dev.shopsearch.service.health;

import dev.shopsearch.core.search.SearchBackend;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.model.LoadedModel;
import dev.shopsearch.service.model.ModelHolder;
import dev.shopsearch.service.warmup.Warmup;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code serving}: UP once the model and an index generation are loaded and the warm-up is over.
 * Part of the readiness group only (liveness does not depend on it), so a pod is taken out of
 * rotation, not restarted, while it loads or when its model failed.
 */
@Component
class ServingHealthIndicator implements HealthIndicator {
  private final ModelHolder models;
  private final IndexManager index;
  private final SearchBackend backend;
  private final Warmup warmup;

  ServingHealthIndicator(
      ModelHolder models, IndexManager index, SearchBackend backend, Warmup warmup) {
    this.models = models;
    this.index = index;
    this.backend = backend;
    this.warmup = warmup;
  }

  @Override
  public Health health() {
    LoadedModel model = models.orNull();
    String backendProblem = model == null ? null : backend.notReadyReason();
    Health.Builder b =
        model != null && backendProblem == null && warmup.finished() ? Health.up() : Health.down();
    if (backendProblem != null) {
      b.withDetail("backend", backendProblem);
    }
    if (model != null) {
      b.withDetail("model", model.manifest().name() + " " + model.manifest().version());
      b.withDetail("provider", model.provider().toString());
    } else {
      b.withDetail(
          "model", models.loadError() == null ? "loading" : "failed: " + models.loadError());
    }
    index.servedGeneration().ifPresent(g -> b.withDetail("indexGeneration", g));
    b.withDetail("warmup", warmup.status());
    if (index.lastError() != null) {
      b.withDetail("indexError", index.lastError());
    }
    return b.build();
  }
}
