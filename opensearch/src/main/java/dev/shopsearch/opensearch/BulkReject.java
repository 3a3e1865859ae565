package dev.shopsearch.opensearch;

/**
 * A document the engine refused permanently (a 4xx other than 429), e.g. a mapping error.
 *
 * @param productId the document id
 * @param status the item's HTTP status
 * @param reason the engine's reason
 */
public record BulkReject(String productId, int status, String reason) {}
