package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.search.ProductIndexView;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts one page out of a {@link MatchSet}: orders it by a {@link SortOrder} (product id as the
 * tie-break, so the order is total), then takes {@code k} hits after the cursor or the offset, and
 * issues the cursor of the next page. Offset paging and cursor paging give the same pages.
 * Stateless.
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
    SortKeys.Key[] keys = SortKeys.load(view, m, sort);
    Comparator<SortKeys.Key> order =
        (a, b) ->
            SortKeys.compare(sort, a.missing(), a.value(), a.id(), b.missing(), b.value(), b.id());
    Arrays.sort(keys, order);
    int from = offset;
    if (after != null) {
      from = firstAfter(keys, sort, after);
    }
    List<WeightedFusion.Fused> hits = new ArrayList<>();
    int end = Math.min(keys.length, from + k);
    for (int i = from; i < end; i++) {
      hits.add(new WeightedFusion.Fused(keys[i].doc(), keys[i].relevance()));
    }
    String next = null;
    if (end < keys.length && end > from) {
      SortKeys.Key last = keys[end - 1];
      next = new Cursor(sort, fingerprint, last.missing(), last.value(), last.id()).encode();
    }
    return new Page(hits, next);
  }

  /** The index of the first key strictly after the cursor (binary search: keys are sorted). */
  private static int firstAfter(SortKeys.Key[] keys, SortOrder sort, Cursor c) {
    int lo = 0;
    int hi = keys.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      SortKeys.Key key = keys[mid];
      int cmp =
          SortKeys.compare(
              sort, key.missing(), key.value(), key.id(), c.missing(), c.value(), c.productId());
      if (cmp <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
