package dev.shopsearch.core.search;

import java.util.List;
import java.util.Map;

/**
 * Product filters as a backend applies them, already normalised (keywords with {@code
 * ProductDocuments.keyword}, categories as their whole-path key {@code men/tops}): values of one
 * field are OR-ed, fields are AND-ed, a category matches itself and every path below it, the price
 * range is inclusive.
 *
 * @param categories category path keys; any matches
 * @param colours colours; any matches
 * @param minPrice inclusive lower bound, or null
 * @param maxPrice inclusive upper bound, or null
 * @param inStock stock flag, or null for either
 * @param attributes attribute name to accepted values
 */
public record ProductFilters(
    List<String> categories,
    List<String> colours,
    Double minPrice,
    Double maxPrice,
    Boolean inStock,
    Map<String, List<String>> attributes) {

  /** No filter. */
  public static final ProductFilters NONE =
      new ProductFilters(List.of(), List.of(), null, null, null, Map.of());

  public ProductFilters {
    categories = categories == null ? List.of() : List.copyOf(categories);
    colours = colours == null ? List.of() : List.copyOf(colours);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }

  /** Whether nothing is filtered. */
  public boolean isEmpty() {
    return categories.isEmpty()
        && colours.isEmpty()
        && minPrice == null
        && maxPrice == null
        && inStock == null
        && attributes.isEmpty();
  }
}
