package dev.shopsearch.service.search;

import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validated, normalised filters. Values are normalised exactly as the indexer normalises the filter
 * fields ({@link ProductDocuments#keyword}, {@link ProductDocuments#categoryKeys}); values of one
 * kind are OR-ed, kinds are AND-ed.
 *
 * @param categories category paths as keys ({@code men/tops}); any of them matches
 * @param colours lower-cased colours; any of them matches
 * @param minPrice inclusive lower price bound or null
 * @param maxPrice inclusive upper price bound or null
 * @param inStock stock flag or null
 * @param attributes lower-cased attribute name → accepted lower-cased values
 */
public record SearchFilters(
    List<String> categories,
    List<String> colours,
    Double minPrice,
    Double maxPrice,
    Boolean inStock,
    Map<String, List<String>> attributes) {

  /** Most values accepted in one filter kind. */
  public static final int MAX_VALUES = 32;

  /** Longest accepted filter value. */
  public static final int MAX_VALUE_LENGTH = 200;

  private static final Pattern ATTR_NAME = Pattern.compile("[a-z0-9_][a-z0-9_.-]{0,63}");

  /** No filter. */
  public static final SearchFilters NONE =
      new SearchFilters(List.of(), List.of(), null, null, null, Map.of());

  public SearchFilters {
    categories = List.copyOf(categories);
    colours = List.copyOf(colours);
    attributes = Map.copyOf(attributes);
  }

  /** The filters as a backend takes them ({@link dev.shopsearch.core.search.ProductIndexView}). */
  public ProductFilters product() {
    return new ProductFilters(categories, colours, minPrice, maxPrice, inStock, attributes);
  }

  /** Filters a backend was given, already validated and normalised. */
  static SearchFilters from(ProductFilters f) {
    return new SearchFilters(
        f.categories(), f.colours(), f.minPrice(), f.maxPrice(), f.inStock(), f.attributes());
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

  /**
   * Validates and normalises raw filter input.
   *
   * @param categories category paths, e.g. {@code "Men / Tops"} (null = none)
   * @param colours colours (null = none)
   * @param minPrice lower bound or null
   * @param maxPrice upper bound or null
   * @param inStock stock flag or null
   * @param attributes name → values, e.g. {@code gender → [women]} (null = none)
   * @throws InvalidRequestException naming the bad filter, the limit and the value
   */
  public static SearchFilters of(
      List<String> categories,
      List<String> colours,
      Double minPrice,
      Double maxPrice,
      Boolean inStock,
      Map<String, List<String>> attributes) {
    List<String> cats = new ArrayList<>();
    for (String c : values("category", categories)) {
      Set<String> keys = ProductDocuments.categoryKeys(List.of(c));
      if (keys.isEmpty()) {
        throw new InvalidRequestException("category", "category must not be blank");
      }
      // The longest key is the whole path ("men/tops" for "Men / Tops").
      String full = "";
      for (String k : keys) {
        full = k;
      }
      cats.add(full);
    }
    List<String> cols = new ArrayList<>();
    for (String c : values("colour", colours)) {
      cols.add(ProductDocuments.keyword(c));
    }
    checkPrice("minPrice", minPrice);
    checkPrice("maxPrice", maxPrice);
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      throw new InvalidRequestException(
          "minPrice",
          String.format(
              Locale.ROOT, "minPrice (%s) must not exceed maxPrice (%s)", minPrice, maxPrice));
    }
    Map<String, List<String>> attrs = new LinkedHashMap<>();
    if (attributes != null) {
      if (attributes.size() > MAX_VALUES) {
        throw new InvalidRequestException(
            "attr",
            String.format(
                Locale.ROOT, "at most %d attributes; got %d", MAX_VALUES, attributes.size()));
      }
      for (Map.Entry<String, List<String>> e : attributes.entrySet()) {
        String name = ProductDocuments.keyword(e.getKey());
        if (!ATTR_NAME.matcher(name).matches()) {
          throw new InvalidRequestException(
              "attr",
              "attribute name must match "
                  + ATTR_NAME.pattern()
                  + " (after lower-casing); got '"
                  + e.getKey()
                  + "'");
        }
        List<String> vs = new ArrayList<>();
        for (String v : values("attr." + name, e.getValue())) {
          vs.add(ProductDocuments.keyword(v));
        }
        if (vs.isEmpty()) {
          throw new InvalidRequestException("attr", "attribute " + name + " has no value");
        }
        attrs.merge(
            name,
            vs,
            (a, b) -> {
              List<String> m = new ArrayList<>(a);
              m.addAll(b);
              return m;
            });
      }
    }
    return new SearchFilters(cats, cols, minPrice, maxPrice, inStock, attrs);
  }

  /**
   * Parses {@code name:value} attribute parameters ({@code attr=gender:women}).
   *
   * @throws InvalidRequestException if one has no {@code :}
   */
  public static Map<String, List<String>> parseAttributes(List<String> raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String r : raw) {
      int colon = r.indexOf(':');
      if (colon <= 0 || colon == r.length() - 1) {
        throw new InvalidRequestException(
            "attr", "attr must be written name:value (e.g. attr=gender:women); got '" + r + "'");
      }
      out.computeIfAbsent(r.substring(0, colon), k -> new ArrayList<>())
          .add(r.substring(colon + 1));
    }
    return out;
  }

  private static List<String> values(String name, List<String> raw) {
    if (raw == null) {
      return List.of();
    }
    if (raw.size() > MAX_VALUES) {
      throw new InvalidRequestException(
          name,
          String.format(Locale.ROOT, "at most %d %s values; got %d", MAX_VALUES, name, raw.size()));
    }
    Set<String> out = new LinkedHashSet<>();
    for (String v : raw) {
      if (v == null || v.isBlank()) {
        throw new InvalidRequestException(name, name + " values must not be blank");
      }
      if (v.length() > MAX_VALUE_LENGTH) {
        throw new InvalidRequestException(
            name,
            String.format(
                Locale.ROOT,
                "%s values must be at most %d characters; got %d",
                name,
                MAX_VALUE_LENGTH,
                v.length()));
      }
      out.add(v);
    }
    return List.copyOf(out);
  }

  private static void checkPrice(String name, Double value) {
    if (value != null && (value.isNaN() || value.isInfinite() || value < 0)) {
      throw new InvalidRequestException(name, name + " must be a finite number >= 0; got " + value);
    }
  }
}
