package dev.shopsearch.service.search;

import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The first {@code n} products of a {@link MatchSet} by relevance (best first, product id ascending
 * on equal scores), optionally after a {@link Cursor}: a bounded heap of {@code n} over the match
 * set, so a page costs a pass over the matches, not a sort of them all. Works on the keys of any
 * {@link ProductIndexView}: a product id is read (the view's {@link ProductIndexView#sortValues}
 * without a field: doc values in Lucene, the key table of a remote engine) only when two scores are
 * equal. Not thread-safe: one per page.
 */
final class RelevanceTopN {
  private final ProductIndexView view;
  private final MatchSet m;
  private final Map<Integer, String> ids = new HashMap<>();

  private RelevanceTopN(ProductIndexView view, MatchSet m) {
    this.view = view;
    this.m = m;
  }

  /**
   * @param after resume strictly after this position, or null
   * @param n how many to take (offset + page size + 1 to see whether a next page exists)
   * @return the keys of the first {@code n} products after {@code after}, in order
   */
  static List<SortKeys.Key> top(ProductIndexView view, MatchSet m, Cursor after, int n) {
    return new RelevanceTopN(view, m).top(after, n);
  }

  private List<SortKeys.Key> top(Cursor after, int n) {
    if (n <= 0) {
      return List.of();
    }
    Comparator<Integer> order = this::compare;
    PriorityQueue<Integer> worstFirst =
        new PriorityQueue<>(Math.min(n, m.size()) + 1, order.reversed());
    double[] rel = m.relevance();
    for (int i = 0; i < m.size(); i++) {
      if (after != null && !isAfter(i, after)) {
        continue;
      }
      if (worstFirst.size() < n) {
        worstFirst.add(i);
      } else if (compare(i, worstFirst.peek()) < 0) {
        worstFirst.poll();
        worstFirst.add(i);
      }
    }
    List<Integer> best = new ArrayList<>(worstFirst);
    best.sort(order);
    List<SortKeys.Key> keys = new ArrayList<>(best.size());
    for (int i : best) {
      keys.add(new SortKeys.Key(m.docs()[i], rel[i], false, rel[i], id(i)));
    }
    return keys;
  }

  /** The order of {@link SortKeys#compare} for relevance, reading ids only on equal scores. */
  private int compare(int a, int b) {
    double ra = m.relevance()[a];
    double rb = m.relevance()[b];
    if (Double.compare(ra, rb) != 0) {
      return SortKeys.compare(SortOrder.RELEVANCE, false, ra, "", false, rb, "");
    }
    return SortKeys.compare(SortOrder.RELEVANCE, false, ra, id(a), false, rb, id(b));
  }

  private boolean isAfter(int i, Cursor c) {
    double r = m.relevance()[i];
    String id = Double.compare(r, c.value()) == 0 ? id(i) : "";
    return SortKeys.compare(SortOrder.RELEVANCE, false, r, id, false, c.value(), c.productId()) > 0;
  }

  /** The product id of match {@code i} (remembered: a product is looked up once). */
  private String id(int i) {
    int doc = m.docs()[i];
    String id = ids.get(doc);
    if (id == null) {
      id = lookUp(doc);
      ids.put(doc, id);
    }
    return id;
  }

  private String lookUp(int doc) {
    try {
      return view.sortValues(new int[] {doc}, SortField.NONE).ids()[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
