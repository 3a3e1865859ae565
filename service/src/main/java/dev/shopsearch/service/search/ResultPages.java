package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortedKeys;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts one page out of a {@link MatchSet}: the {@code k} hits after the cursor or the offset in a
 * {@link SortOrder} (product id as the tie-break, so the order is total), and the cursor of the
 * next page. Only the first offset + k + 1 products of the order are ranked ({@link RelevanceTopN},
 * {@link SortedTopN}: a bounded heap over the match set, not a sort of it), so a page costs time
 * linear in the match set and memory in the page. A field order is the view's {@link
 * ProductIndexView#sortedTop} (Lucene: a sorted top-N over doc values; a remote engine: its sort
 * values and a bounded heap). Offset paging and cursor paging give the same pages. Stateless.
 */
final class ResultPages {
  private ResultPages() {}

  /**
   * A page.
   *
   * @param hits the page's products with their relevance scores, in order
   * @param nextCursor the cursor of the next page, or null when this page is the last
   */
  record Page(List<WeightedFusion.Fused> hits, String nextCursor) {}

  /**
   * @param after the cursor to resume after (then {@code offset} is 0), or null
   * @param fingerprint the query's fingerprint, written into the next cursor
   */
  static Page page(
      ProductIndexView view,
      MatchSet m,
      SortOrder sort,
      Cursor after,
      int offset,
      int k,
      int fingerprint)
      throws IOException {
    SortKeys.requireOrder(view, m, sort);
    int from = after == null ? offset : 0;
    // one more than the page: whether a next page exists
    int n = (int) Math.min(m.size(), (long) from + k + 1);
    List<SortKeys.Key> keys =
        sort == SortOrder.RELEVANCE
            ? RelevanceTopN.top(view, m, after, n)
            : withRelevance(m, sorted(view, m, sort, after, n));
    List<WeightedFusion.Fused> hits = new ArrayList<>();
    int end = Math.min(keys.size(), from + k);
    for (int i = from; i < end; i++) {
      hits.add(new WeightedFusion.Fused(keys.get(i).doc(), keys.get(i).relevance()));
    }
    String next = null;
    if (end < keys.size() && end > from) {
      SortKeys.Key last = keys.get(end - 1);
      next = new Cursor(sort, fingerprint, last.missing(), last.value(), last.id()).encode();
    }
    return new Page(hits, next);
  }

  /** The first {@code n} of a field order after the cursor, from the view. */
  private static List<SortKeys.Key> sorted(
      ProductIndexView view, MatchSet m, SortOrder sort, Cursor after, int n) throws IOException {
    SortField field = sort == SortOrder.NEWEST ? SortField.CATALOG_ROW : SortField.PRICE;
    SortPosition position =
        after == null ? null : new SortPosition(after.missing(), after.value(), after.productId());
    SortedKeys top = view.sortedTop(m.docs(), field, sort != SortOrder.PRICE_ASC, position, n);
    List<SortKeys.Key> keys = new ArrayList<>(top.keys().length);
    for (int i = 0; i < top.keys().length; i++) {
      boolean missing = top.values().missing()[i];
      keys.add(
          new SortKeys.Key(
              top.keys()[i],
              Double.NaN,
              missing,
              missing ? 0 : top.values().values()[i],
              top.values().ids()[i]));
    }
    return keys;
  }

  /** The keys with each product's relevance score from the match set (one pass over it). */
  private static List<SortKeys.Key> withRelevance(MatchSet m, List<SortKeys.Key> keys) {
    Map<Integer, Integer> at = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      at.put(keys.get(i).doc(), i);
    }
    double[] relevance = new double[keys.size()];
    for (int i = 0; i < m.size(); i++) {
      Integer pos = at.get(m.docs()[i]);
      if (pos != null) {
        relevance[pos] = m.relevance()[i];
      }
    }
    List<SortKeys.Key> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      SortKeys.Key key = keys.get(i);
      out.add(new SortKeys.Key(key.doc(), relevance[i], key.missing(), key.value(), key.id()));
    }
    return out;
  }
}
