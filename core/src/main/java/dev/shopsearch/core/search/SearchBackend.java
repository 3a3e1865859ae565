package dev.shopsearch.core.search;

/**
 * A search engine holding published index generations: the embedded Lucene index or an OpenSearch
 * cluster. Thread-safe.
 */
public interface SearchBackend {
  /** Whether a generation is served and the engine answers (readiness). */
  boolean ready();

  /**
   * A view of the served generation, for one request; close it when the request is done. A
   * generation swap never affects an open view: every call on it sees the same generation.
   *
   * @throws RuntimeException (the implementation's "not ready" refusal, naming the reason) when no
   *     generation is served or the engine cannot be reached
   */
  ProductIndexView acquire();
}
