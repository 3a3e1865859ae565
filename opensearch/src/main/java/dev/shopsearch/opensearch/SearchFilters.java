package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductDocuments;
import java.util.List;
import java.util.Map;

/**
 * Product filters, with the same semantics as the embedded backend's: values within one field are
 * OR-ed, fields are AND-ed; keywords are normalised with {@link ProductDocuments#keyword}; the
 * price range is inclusive.
 *
 * @param categories category path prefixes ({@code men/tops})
 * @param colours colours
 * @param priceMin lowest price, or null
 * @param priceMax highest price, or null
 * @param inStock stock flag, or null for either
 * @param attributes attribute name to accepted values
 */
public record SearchFilters(
    List<String> categories,
    List<String> colours,
    Double priceMin,
    Double priceMax,
    Boolean inStock,
    Map<String, List<String>> attributes) {

  /** No filter. */
  public static final SearchFilters NONE = new SearchFilters(null, null, null, null, null, null);

  public SearchFilters {
    categories = categories == null ? List.of() : List.copyOf(categories);
    colours = colours == null ? List.of() : List.copyOf(colours);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    if (priceMin != null && priceMax != null && priceMin > priceMax) {
      throw new IllegalArgumentException(
          "priceMin must be <= priceMax; priceMin=" + priceMin + " priceMax=" + priceMax);
    }
  }

  /** The filters a backend view is given ({@link dev.shopsearch.core.search.ProductFilters}). */
  public static SearchFilters of(dev.shopsearch.core.search.ProductFilters f) {
    return new SearchFilters(
        f.categories(), f.colours(), f.minPrice(), f.maxPrice(), f.inStock(), f.attributes());
  }

  /** Whether any filter is set. */
  public boolean isEmpty() {
    return categories.isEmpty()
        && colours.isEmpty()
        && priceMin == null
        && priceMax == null
        && inStock == null
        && attributes.isEmpty();
  }

  /**
   * The filter as an OpenSearch bool query over the product-level fields under {@code prefix}
   * ({@code ""} in this schema).
   */
  ObjectNode toQuery(String prefix) {
    ObjectNode q = EngineClient.json().createObjectNode();
    ArrayNode filter = q.putObject("bool").putArray("filter");
    terms(filter, prefix + IndexSchema.CATEGORY, categoryKeys());
    terms(
        filter,
        prefix + IndexSchema.COLOUR,
        colours.stream().map(ProductDocuments::keyword).toList());
    if (priceMin != null || priceMax != null) {
      ObjectNode range =
          filter.addObject().putObject("range").putObject(prefix + IndexSchema.PRICE);
      if (priceMin != null) {
        range.put("gte", priceMin);
      }
      if (priceMax != null) {
        range.put("lte", priceMax);
      }
    }
    if (inStock != null) {
      terms(filter, prefix + IndexSchema.IN_STOCK, List.of(inStock.toString()));
    }
    for (Map.Entry<String, List<String>> a : attributes.entrySet()) {
      terms(
          filter,
          prefix + IndexSchema.ATTR_PREFIX + ProductDocuments.keyword(a.getKey()),
          a.getValue().stream().map(ProductDocuments::keyword).toList());
    }
    return q;
  }

  private List<String> categoryKeys() {
    // the most specific key of each given path, normalised as the index stores it
    return categories.stream()
        .map(c -> List.copyOf(ProductDocuments.categoryKeys(List.of(c))))
        .filter(keys -> !keys.isEmpty())
        .map(keys -> keys.get(keys.size() - 1))
        .toList();
  }

  private static void terms(ArrayNode filter, String field, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    ArrayNode arr = filter.addObject().putObject("terms").putArray(field);
    values.forEach(arr::add);
  }
}
