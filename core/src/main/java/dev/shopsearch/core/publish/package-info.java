/**
 * The write side of an index backend, the seam between the indexer and where its generations live:
 * {@link dev.shopsearch.core.publish.GenerationStore} opens a {@link
 * dev.shopsearch.core.publish.GenerationDraft} (a new generation, invisible to searchers), the
 * indexer puts products into it and publishes it atomically. Implementations: the embedded Lucene
 * generations (indexer, {@code LuceneGenerationStore}) and OpenSearch versioned indices behind an
 * alias ({@code OpenSearchGenerationStore}, module {@code opensearch}). See docs/opensearch.md.
 */
package dev.shopsearch.core.publish;
