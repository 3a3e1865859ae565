/**
 * OpenSearch 3.x backend (k-NN plugin, Lucene engine only): the index mapping derived from core's
 * {@code IndexSchema} ({@link dev.shopsearch.opensearch.IndexMapping}), product documents with
 * {@code nested} images ({@link dev.shopsearch.opensearch.ProductJson}), a bulk writer with bounded
 * concurrency and retries ({@link dev.shopsearch.opensearch.BulkWriter}), generations as versioned
 * indices behind an alias ({@link dev.shopsearch.opensearch.Generations}) and a searcher ({@link
 * dev.shopsearch.opensearch.OpenSearchSearcher}). See {@code docs/opensearch.md}.
 */
package dev.shopsearch.opensearch;
