package dev.shopsearch.service.facets;

/**
 * One bucket of the price facet: {@code min <= price < max}.
 *
 * @param min inclusive lower bound, null for the first bucket
 * @param max exclusive upper bound, null for the last bucket
 * @param count products of the match set in the bucket (counted without the price filter)
 * @param selected whether the request's price filter covers exactly this bucket
 */
public record PriceBucket(Double min, Double max, int count, boolean selected) {}
