package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.service.facets.DocValueCounts;
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
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.util.FixedBitSet;

/**
 * Disjunctive facet counts over a search's {@link MatchSet}: each facet (category tree, colour,
 * price buckets, stock, each faceted attribute) is counted over the match set of the same query
 * with every filter except that facet's own, so selecting {@code red} still shows the other
 * colours' counts. A facet without a selection uses the request's match set; each facet with one
 * costs one more match (a kNN and/or BM25 run with the other filters). Counting reads doc values of
 * the product documents ({@link DocValueCounts}). Thread-safe (immutable).
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
  FacetCounts count(IndexReader reader, SearchFilters filters, MatchSet main, Matcher matcher)
      throws IOException {
    int maxDoc = reader.maxDoc();
    Map<SearchFilters, FixedBitSet> sets = new HashMap<>();
    sets.put(filters, main.bits(maxDoc));
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
    for (String name : facetAttributes(reader, filters)) {
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
        sets.put(v, matcher.match(v).bits(maxDoc));
      }
    }
    Map<String, List<FacetValue>> attributes = new LinkedHashMap<>();
    for (Map.Entry<String, SearchFilters> e : noAttribute.entrySet()) {
      String name = e.getKey();
      attributes.put(
          name,
          lists.values(
              DocValueCounts.keywords(
                  reader, sets.get(e.getValue()), IndexSchema.ATTR_PREFIX + name),
              filters.attributes().getOrDefault(name, List.of())));
    }
    return new FacetCounts(
        lists.categories(
            DocValueCounts.keywords(reader, sets.get(noCategory), IndexSchema.CATEGORY),
            filters.categories()),
        lists.values(
            DocValueCounts.keywords(reader, sets.get(noColour), IndexSchema.COLOUR),
            filters.colours()),
        attributes,
        lists.price(
            DocValueCounts.ranges(
                reader, sets.get(noPrice), IndexSchema.PRICE, lists.priceBounds()),
            filters.minPrice(),
            filters.maxPrice()),
        lists.values(
            DocValueCounts.keywords(reader, sets.get(noStock), IndexSchema.IN_STOCK),
            filters.inStock() == null ? List.of() : List.of(filters.inStock().toString())));
  }

  /**
   * The configured attributes, or every attribute of the index with at most {@code
   * max-attribute-values} values; attributes the request filters on always.
   */
  private List<String> facetAttributes(IndexReader reader, SearchFilters filters)
      throws IOException {
    Set<String> out = new LinkedHashSet<>();
    List<String> known = FilterFields.attributes(reader);
    if (!properties.attributes().isEmpty()) {
      for (String a : properties.attributes()) {
        if (known.contains(a)) {
          out.add(a);
        }
      }
    } else {
      for (String a : known) {
        if (cardinality(reader, IndexSchema.ATTR_PREFIX + a) <= properties.maxAttributeValues()) {
          out.add(a);
        }
      }
    }
    out.addAll(filters.attributes().keySet());
    return new ArrayList<>(out);
  }

  /** Distinct values of a keyword field (the largest segment's count: a lower bound). */
  private static long cardinality(IndexReader reader, String field) throws IOException {
    long max = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      max = Math.max(max, DocValues.getSortedSet(leaf.reader(), field).getValueCount());
    }
    return max;
  }
}
