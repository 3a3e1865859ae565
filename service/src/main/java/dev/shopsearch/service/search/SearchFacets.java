package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.service.facets.FacetCounts;
import dev.shopsearch.service.facets.FacetLists;
import dev.shopsearch.service.facets.FacetValue;
import dev.shopsearch.service.facets.FacetsProperties;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Disjunctive facet counts over a search's {@link MatchSet}: each facet (category tree, colour,
 * price buckets, stock, each faceted attribute) is counted over the match set of the same query
 * with every filter except that facet's own, so selecting {@code red} still shows the other
 * colours' counts. A facet without a selection uses the request's match set; each facet with one
 * costs one more match (a kNN and/or BM25 run with the other filters). Counting reads doc values of
 * the products through the backend ({@link ProductIndexView#keywordCounts}, {@link
 * ProductIndexView#rangeCounts}). Thread-safe (immutable).
 */
final class SearchFacets {
  /** Finds the match set of the query with other filters. */
  @FunctionalInterface
  interface Matcher {
    MatchSet match(SearchFilters filters) throws IOException;
  }

  private final FacetsProperties properties;
  private final FacetLists lists;

  SearchFacets(FacetsProperties properties) {
    this.properties = properties;
    this.lists = new FacetLists(properties);
  }

  /**
   * The facets of a request.
   *
   * @param filters the request's filters
   * @param main the request's match set
   * @param matcher finds the match set of the same query with other filters
   */
  FacetCounts count(ProductIndexView view, SearchFilters filters, MatchSet main, Matcher matcher)
      throws IOException {
    Map<SearchFilters, int[]> sets = new HashMap<>();
    sets.put(filters, main.docs());
    SearchFilters noCategory =
        new SearchFilters(
            List.of(),
            filters.colours(),
            filters.minPrice(),
            filters.maxPrice(),
            filters.inStock(),
            filters.attributes());
    SearchFilters noColour =
        new SearchFilters(
            filters.categories(),
            List.of(),
            filters.minPrice(),
            filters.maxPrice(),
            filters.inStock(),
            filters.attributes());
    SearchFilters noPrice =
        new SearchFilters(
            filters.categories(),
            filters.colours(),
            null,
            null,
            filters.inStock(),
            filters.attributes());
    SearchFilters noStock =
        new SearchFilters(
            filters.categories(),
            filters.colours(),
            filters.minPrice(),
            filters.maxPrice(),
            null,
            filters.attributes());
    Map<String, SearchFilters> noAttribute = new LinkedHashMap<>();
    for (String name : facetAttributes(view, filters)) {
      Map<String, List<String>> others = new LinkedHashMap<>(filters.attributes());
      others.remove(name);
      noAttribute.put(
          name,
          new SearchFilters(
              filters.categories(),
              filters.colours(),
              filters.minPrice(),
              filters.maxPrice(),
              filters.inStock(),
              others));
    }
    List<SearchFilters> variants = new ArrayList<>(List.of(noCategory, noColour, noPrice, noStock));
    variants.addAll(noAttribute.values());
    for (SearchFilters v : variants) {
      if (!sets.containsKey(v)) { // each distinct variant is matched once
        sets.put(v, matcher.match(v).docs());
      }
    }
    Map<String, List<FacetValue>> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, SearchFilters> e : noAttribute.entrySet()) {
      String name = e.getKey();
      attributes.put(
          name,
          lists.values(
              view.keywordCounts(sets.get(e.getValue()), IndexSchema.ATTR_PREFIX + name),
              filters.attributes().getOrDefault(name, List.of())));
    }
    return new FacetCounts(
        lists.categories(
            view.keywordCounts(sets.get(noCategory), IndexSchema.CATEGORY), filters.categories()),
        lists.values(view.keywordCounts(sets.get(noColour), IndexSchema.COLOUR), filters.colours()),
        attributes,
        lists.price(
            view.rangeCounts(sets.get(noPrice), IndexSchema.PRICE, lists.priceBounds()),
            filters.minPrice(),
            filters.maxPrice()),
        lists.values(
            view.keywordCounts(sets.get(noStock), IndexSchema.IN_STOCK),
            filters.inStock() == null ? List.of() : List.of(filters.inStock().toString())));
  }

  /**
   * The configured attributes, or every attribute of the index with at most {@code
   * max-attribute-values} values; attributes the request filters on always.
   */
  private List<String> facetAttributes(ProductIndexView view, SearchFilters filters)
      throws IOException {
    Set<String> out = new LinkedHashSet<>();
    List<String> known = view.attributes();
    if (!properties.attributes().isEmpty()) {
      for (String a : properties.attributes()) {
        if (known.contains(a)) {
          out.add(a);
        }
      }
    } else {
      for (String a : known) {
        if (view.cardinality(IndexSchema.ATTR_PREFIX + a) <= properties.maxAttributeValues()) {
          out.add(a);
        }
      }
    }
    out.addAll(filters.attributes().keySet());
    return new ArrayList<>(out);
  }
}
