package dev.shopsearch.opensearch;

/**
 * One product in a result list.
 *
 * @param productId the product
 * @param score the engine's score (kNN: the space's similarity score; BM25: the text score)
 * @param bestImageRef for kNN, the best-matching image ({@code inner_hits}); null for BM25
 */
public record SearchHit(String productId, double score, String bestImageRef) {}
