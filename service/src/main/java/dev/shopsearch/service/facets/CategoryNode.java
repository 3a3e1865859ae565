package dev.shopsearch.service.facets;

import java.util.List;

/**
 * One node of the category facet tree.
 *
 * @param value the category key, usable as a {@code category} filter ({@code women/dresses})
 * @param label the last path segment ({@code dresses})
 * @param count products of the match set under this node (counted without the category filter)
 * @param selected whether the request filters on this category
 * @param children the sub-categories, most products first
 */
public record CategoryNode(
    String value, String label, int count, boolean selected, List<CategoryNode> children) {}
