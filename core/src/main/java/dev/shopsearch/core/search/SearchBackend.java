package dev.shopsearch.core.search;

import java.util.function.LongSupplier;

/**
 * A search engine holding published index generations: the embedded Lucene index or an OpenSearch
 * cluster. Thread-safe.
 */
public interface SearchBackend {
  /** Whether a generation is served and the engine answers (readiness). */
  default boolean ready() {
    return notReadyReason() == null;
  }

  /**
   * Why the backend cannot serve now, as a sentence for the readiness details and the 503 (engine
   * unreachable or unhealthy, no generation published, a generation refused by the model guard), or
   * null when it can.
   */
  String notReadyReason();

  /**
   * A view of the served generation, for one request; close it when the request is done. A
   * generation swap never affects an open view: every call on it sees the same generation.
   *
   * @throws BackendUnavailableException when the engine cannot be reached or no generation is
   *     published (the embedded backend throws the service's own "not ready" refusal)
   */
  ProductIndexView acquire();

  /**
   * {@link #acquire()} for a request with a deadline: a remote engine makes the time left the
   * timeout of each call and makes no call once it is gone; the embedded engine ignores it (its
   * search threads are bounded by the caller).
   *
   * @param remainingNanos the request's time left, in nanoseconds
   */
  default ProductIndexView acquire(LongSupplier remainingNanos) {
    return acquire();
  }
}
