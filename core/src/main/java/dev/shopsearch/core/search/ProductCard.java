package dev.shopsearch.core.search;

/**
 * What a result page shows of one product.
 *
 * @param id product id
 * @param name display name
 * @param price price, or null
 * @param imageRef the product's first image as stored (a URL or a catalog-relative reference), or
 *     null
 */
public record ProductCard(String id, String name, Double price, String imageRef) {}
