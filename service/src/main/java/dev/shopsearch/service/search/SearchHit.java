package dev.shopsearch.service.search;

/**
 * One product in a result page.
 *
 * @param id product id
 * @param name display name
 * @param price price or null
 * @param imageUrl the product's first image, as a URL the browser can load
 * @param matchedImage the image whose vector matched best (null for lexical-only hits)
 * @param score fused score (hybrid: weighted RRF or normalised-score sum, see the response's {@code
 *     fusion}), vector similarity score (vector) or BM25 (lexical)
 * @param vectorRank 1-based rank in the kNN list, or null
 * @param lexicalRank 1-based rank in the BM25 list, or null
 */
public record SearchHit(
    String id,
    String name,
    Double price,
    String imageUrl,
    String matchedImage,
    double score,
    Integer vectorRank,
    Integer lexicalRank) {}
