package dev.shopsearch.service.facets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns raw counts into the facet lists of a response: the {@link FacetsProperties#maxValues()}
 * most frequent values (ties by value), selected values always kept, the category keys as a tree,
 * the price counts as buckets. Thread-safe (immutable).
 */
public final class FacetLists {
  private static final Comparator<FacetValue> MOST_FIRST =
      Comparator.comparingInt(FacetValue::count).reversed().thenComparing(FacetValue::value);
  private static final Comparator<CategoryNode> MOST_NODES_FIRST =
      Comparator.comparingInt(CategoryNode::count).reversed().thenComparing(CategoryNode::value);

  private final FacetsProperties properties;

  public FacetLists(FacetsProperties properties) {
    this.properties = Objects.requireNonNull(properties);
  }

  /** The configured price bounds. */
  public List<Double> priceBounds() {
    return properties.priceRanges();
  }

  /** A keyword facet: values with a count, most frequent first; selected values always listed. */
  public List<FacetValue> values(Map<String, Integer> counts, Collection<String> selected) {
    List<FacetValue> all = new ArrayList<>();
    counts.forEach((v, c) -> all.add(new FacetValue(v, c, selected.contains(v))));
    for (String s : selected) {
      if (!counts.containsKey(s)) {
        all.add(new FacetValue(s, 0, true));
      }
    }
    all.sort(MOST_FIRST);
    return limited(all, FacetValue::selected);
  }

  /**
   * The category tree from counts of category keys ({@code women}, {@code women/dresses}: every
   * prefix of every path, as indexed), each level limited like {@link #values}.
   */
  public List<CategoryNode> categories(Map<String, Integer> counts, Collection<String> selected) {
    return level("", counts, selected);
  }

  private List<CategoryNode> level(
      String parent, Map<String, Integer> counts, Collection<String> selected) {
    String prefix = parent.isEmpty() ? "" : parent + "/";
    List<CategoryNode> nodes = new ArrayList<>();
    counts.forEach(
        (key, count) -> {
          if (key.startsWith(prefix) && key.indexOf('/', prefix.length()) < 0) {
            nodes.add(
                new CategoryNode(
                    key,
                    key.substring(prefix.length()),
                    count,
                    selected.contains(key),
                    level(key, counts, selected)));
          }
        });
    nodes.sort(MOST_NODES_FIRST);
    return limited(nodes, n -> n.selected() || hasSelected(n));
  }

  private static boolean hasSelected(CategoryNode n) {
    for (CategoryNode c : n.children()) {
      if (c.selected() || hasSelected(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The price buckets.
   *
   * @param counts per bucket ({@link DocValueCounts#ranges})
   * @param min the request's minPrice filter or null
   * @param max the request's maxPrice filter or null
   */
  public List<PriceBucket> price(int[] counts, Double min, Double max) {
    List<Double> bounds = properties.priceRanges();
    List<PriceBucket> out = new ArrayList<>(counts.length);
    for (int i = 0; i < counts.length; i++) {
      Double lo = i == 0 ? null : bounds.get(i - 1);
      Double hi = i == bounds.size() ? null : bounds.get(i);
      boolean selected = (min != null || max != null) && Objects.equals(lo, min) && max(hi, max);
      out.add(new PriceBucket(lo, hi, counts[i], selected));
    }
    return out;
  }

  /** The storefront sends a bucket as {@code minPrice=lo&maxPrice=hi} (inclusive). */
  private static boolean max(Double bucketMax, Double filterMax) {
    return Objects.equals(bucketMax, filterMax);
  }

  private <T> List<T> limited(List<T> sorted, java.util.function.Predicate<T> keep) {
    int max = properties.maxValues();
    if (sorted.size() <= max) {
      return List.copyOf(sorted);
    }
    List<T> out = new ArrayList<>(sorted.subList(0, max));
    for (T t : sorted.subList(max, sorted.size())) {
      if (keep.test(t)) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }
}
