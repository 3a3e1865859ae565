package dev.shopsearch.service.facets;

/**
 * One value of a keyword facet.
 *
 * @param value the filter value, exactly as a filter accepts it back (lower-cased)
 * @param count products of the match set with this value, counted with the other facets' filters
 *     but not this facet's own selection
 * @param selected whether the request filters on this value
 */
public record FacetValue(String value, int count, boolean selected) {}
