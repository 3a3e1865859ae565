package dev.shopsearch.service.facets;

import java.util.List;
import java.util.Map;

/**
 * The facets of a search: counts over its match set, each facet counted with every filter except
 * its own (disjunctive: selecting {@code red} still shows how many products the other colours
 * have).
 *
 * @param category the category tree (top level first)
 * @param colour colours, most products first
 * @param attributes per attribute name, its values, most products first
 * @param price the configured price buckets, in price order
 * @param inStock {@code true}/{@code false}
 */
public record FacetCounts(
    List<CategoryNode> category,
    List<FacetValue> colour,
    Map<String, List<FacetValue>> attributes,
    List<PriceBucket> price,
    List<FacetValue> inStock) {}
