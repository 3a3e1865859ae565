/**
 * Test harness: forks OpenSearch node JVMs ({@link dev.shopsearch.engine.OpenSearchNodeMain}) from
 * the Maven Central artifacts that this module's build copies to {@code target/engine-lib}, and
 * manages a small cluster of them ({@link dev.shopsearch.engine.OpenSearchCluster}). Never on the
 * runtime classpath of the service or the indexer.
 */
package dev.shopsearch.engine;
