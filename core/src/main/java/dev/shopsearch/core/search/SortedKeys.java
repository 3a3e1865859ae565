package dev.shopsearch.core.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The first products of a set in a field order ({@link ProductIndexView#sortedTop}).
 *
 * @param keys the products' keys, in the order
 * @param values their product ids and sort values, same order
 */
public record SortedKeys(int[] keys, SortValues values) {
  public SortedKeys {
    if (keys.length != values.ids().length) {
      throw new IllegalArgumentException(
          "sorted keys: " + keys.length + " keys, " + values.ids().length + " values");
    }
  }

  /** No products. */
  public static SortedKeys empty() {
    return new SortedKeys(new int[0], new SortValues(new String[0], new double[0], new boolean[0]));
  }

  /**
   * The order every backend pages a field sort in: products without a value last, then the value
   * (ascending, or descending when {@code descending}), then the product id ascending (so the order
   * is total).
   *
   * @return negative when {@code a} comes first
   */
  public static int compare(
      boolean descending,
      boolean missingA,
      double a,
      String idA,
      boolean missingB,
      double b,
      String idB) {
    if (missingA != missingB) {
      return missingA ? 1 : -1;
    }
    if (!missingA) {
      int c = descending ? Double.compare(b, a) : Double.compare(a, b);
      if (c != 0) {
        return c;
      }
    }
    return idA.compareTo(idB);
  }

  /**
   * The first {@code n} of {@code keys} strictly after {@code after} in the order of {@link
   * #compare}, selected with a bounded heap of {@code n} over their values (no sort of the whole
   * set).
   *
   * @param values the sort values of {@code keys}, same order
   * @param after the position to resume after, or null
   */
  public static SortedKeys select(
      int[] keys, SortValues values, boolean descending, SortPosition after, int n) {
    Comparator<Integer> order =
        (a, b) ->
            compare(
                descending,
                values.missing()[a],
                values.values()[a],
                values.ids()[a],
                values.missing()[b],
                values.values()[b],
                values.ids()[b]);
    if (n <= 0 || keys.length == 0) {
      return empty();
    }
    PriorityQueue<Integer> worstFirst =
        new PriorityQueue<>(Math.min(n, keys.length) + 1, order.reversed());
    for (int i = 0; i < keys.length; i++) {
      if (after != null
          && compare(
                  descending,
                  values.missing()[i],
                  values.values()[i],
                  values.ids()[i],
                  after.missing(),
                  after.value(),
                  after.productId())
              <= 0) {
        continue;
      }
      if (worstFirst.size() < n) {
        worstFirst.add(i);
      } else if (order.compare(i, worstFirst.peek()) < 0) {
        worstFirst.poll();
        worstFirst.add(i);
      }
    }
    List<Integer> best = new ArrayList<>(worstFirst);
    best.sort(order);
    int[] outKeys = new int[best.size()];
    String[] ids = new String[best.size()];
    double[] vals = new double[best.size()];
    boolean[] missing = new boolean[best.size()];
    for (int j = 0; j < outKeys.length; j++) {
      int i = best.get(j);
      outKeys[j] = keys[i];
      ids[j] = values.ids()[i];
      missing[j] = values.missing()[i];
      vals[j] = missing[j] ? 0 : values.values()[i];
    }
    return new SortedKeys(outKeys, new SortValues(ids, vals, missing));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SortedKeys s
        && Arrays.equals(keys, s.keys)
        && Arrays.equals(values.ids(), s.values.ids())
        && Arrays.equals(values.values(), s.values.values())
        && Arrays.equals(values.missing(), s.values.missing());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(keys);
  }

  @Override
  public String toString() {
    return "SortedKeys" + Arrays.toString(keys);
  }
}
