package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.WeightedFusion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;

/**
 * Cuts one page out of a {@link MatchSet}: the {@code k} hits after the cursor or the offset in a
 * {@link SortOrder} (product id as the tie-break, so the order is total), and the cursor of the
 * next page. Only the first offset + k + 1 products of the order are ranked ({@link RelevanceTopN},
 * {@link SortedTopN}: a bounded heap over the match set, not a sort of it), so a page costs time
 * linear in the match set and memory in the page. Offset paging and cursor paging give the same
 * pages. Stateless.
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
      IndexReader reader,
      long generation,
      MatchSet m,
      SortOrder sort,
      Cursor after,
      int offset,
      int k,
      int fingerprint)
      throws IOException {
    SortKeys.requireOrder(reader, m, sort, generation);
    int from = after == null ? offset : 0;
    // one more than the page: whether a next page exists
    int n = (int) Math.min(m.size(), (long) from + k + 1);
    List<SortKeys.Key> keys =
        sort == SortOrder.RELEVANCE
            ? RelevanceTopN.top(reader, m, after, n)
            : withRelevance(m, SortedTopN.top(reader, m, sort, after, n));
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
