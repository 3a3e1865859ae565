package dev.shopsearch.service.backend;

/** The search engines the service can query ({@code shopsearch.backend}). */
public enum BackendKind {
  /** The embedded Lucene index under {@code shopsearch.index.root} (the default). */
  LUCENE,
  /** An OpenSearch 3.x cluster (k-NN plugin, Lucene engine), {@code shopsearch.opensearch.*}. */
  OPENSEARCH
}
