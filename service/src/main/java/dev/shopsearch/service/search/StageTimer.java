package dev.shopsearch.service.search;

import dev.shopsearch.service.metrics.SearchMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Times the stages of one request (not thread-safe; one per request). */
final class StageTimer {
  private final SearchMetrics metrics;
  private final long start;
  private final Map<String, Double> millis = new LinkedHashMap<>();
  private long mark;

  StageTimer(SearchMetrics metrics, long startNanos) {
    this.metrics = metrics;
    this.start = startNanos;
    this.mark = System.nanoTime();
  }

  /** Ends the stage that began at the previous call (or construction). */
  void stage(String name) {
    long now = System.nanoTime();
    long nanos = now - mark;
    mark = now;
    metrics.stage(name, nanos);
    millis.merge(name, nanos / 1e6, Double::sum);
  }

  /** Restarts the clock without recording (work that is not a stage). */
  void skip() {
    mark = System.nanoTime();
  }

  /** Nanoseconds since the request started. */
  long totalNanos() {
    return System.nanoTime() - start;
  }

  Map<String, Double> finish() {
    millis.put("total", totalNanos() / 1e6);
    return Map.copyOf(millis);
  }
}
