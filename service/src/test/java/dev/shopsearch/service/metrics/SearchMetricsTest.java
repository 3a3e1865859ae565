package dev.shopsearch.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SearchMetricsTest {

  /**
   * Micrometer holds a gauge's state object weakly unless told otherwise; a supplier that nobody
   * else references is collected and the gauge then reads NaN (issue 12, item 10).
   */
  @Test
  void inFlightAndOpenGenerationGaugesSurviveGarbageCollection() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SearchMetrics metrics = new SearchMetrics(registry);
    AtomicInteger inFlight = new AtomicInteger(3);
    AtomicInteger open = new AtomicInteger(1);
    // Fresh lambdas, referenced by nothing but the gauges, as in AdmissionControl/IndexManager.
    metrics.bindInFlight(() -> inFlight.get());
    metrics.bindOpenGenerations(() -> open.get());
    metrics.modelLoaded("clip", "1", "0123456789abcdef", "cpu");

    collectGarbage();

    assertThat(registry.get("search.model.info").tag("hash", "0123456789ab").gauge().value())
        .isEqualTo(1.0);

    assertThat(registry.get("search.inflight").gauge().value()).isEqualTo(3.0);
    assertThat(registry.get("search.index.open").gauge().value()).isEqualTo(1.0);
    inFlight.set(5);
    open.set(2);
    assertThat(registry.get("search.inflight").gauge().value()).isEqualTo(5.0);
    assertThat(registry.get("search.index.open").gauge().value()).isEqualTo(2.0);
  }

  /** Runs the collector until a weakly held sentinel is gone (skips if the JVM never does). */
  static void collectGarbage() {
    WeakReference<Object> sentinel = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && sentinel.get() != null; i++) {
      System.gc();
      Thread.onSpinWait();
    }
    assumeTrue(sentinel.get() == null, "skipping: System.gc() did not clear weak references");
  }
}
