package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;

/**
 * The first {@code n} products of a {@link MatchSet} by relevance (best first, product id ascending
 * on equal scores), optionally after a {@link Cursor}: a bounded heap of {@code n} over the match
 * set, so a page costs a pass over the matches, not a sort of them all. A product id is read (from
 * the {@link IndexSchema#PRODUCT_ID} doc values) only when two scores are equal. Not thread-safe:
 * one per page.
 */
final class RelevanceTopN {
  private final IndexReader reader;
  private final MatchSet m;
  private final Map<Integer, String> ids = new HashMap<>();

  private RelevanceTopN(IndexReader reader, MatchSet m) {
    this.reader = reader;
    this.m = m;
  }

  /**
   * @param after resume strictly after this position, or null
   * @param n how many to take (offset + page size + 1 to see whether a next page exists)
   * @return the keys of the first {@code n} products after {@code after}, in order
   */
  static List<SortKeys.Key> top(IndexReader reader, MatchSet m, Cursor after, int n) {
    return new RelevanceTopN(reader, m).top(after, n);
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
      List<LeafReaderContext> leaves = reader.leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      // a fresh iterator per look-up: ties come in any doc order
      SortedDocValues dv = DocValues.getSorted(leaf.reader(), IndexSchema.PRODUCT_ID);
      return dv.advanceExact(doc - leaf.docBase) ? dv.lookupOrd(dv.ordValue()).utf8ToString() : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
