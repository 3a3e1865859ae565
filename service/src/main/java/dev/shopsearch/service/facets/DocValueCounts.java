package dev.shopsearch.service.facets;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.NumericUtils;

/**
 * Counts doc values over a set of documents (top-level doc ids of one reader): per segment, one
 * array slot per ordinal, then the ordinals resolved to their terms. Stateless.
 */
public final class DocValueCounts {
  private DocValueCounts() {}

  /**
   * How many of {@code docs} have each value of a keyword field (sorted-set doc values); a document
   * with several values counts once for each.
   */
  public static Map<String, Integer> keywords(IndexReader reader, BitSet docs, String field)
      throws IOException {
    Map<String, Integer> out = new HashMap<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedSetDocValues values = DocValues.getSortedSet(leaf.reader(), field);
      if (values.getValueCount() == 0) {
        continue;
      }
      int[] counts = new int[Math.toIntExact(values.getValueCount())];
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (int d = nextIn(docs, leaf.docBase, end); d < end; d = nextIn(docs, d + 1, end)) {
        if (values.advanceExact(d - leaf.docBase)) {
          for (int i = 0; i < values.docValueCount(); i++) {
            counts[(int) values.nextOrd()]++;
          }
        }
      }
      for (int ord = 0; ord < counts.length; ord++) {
        if (counts[ord] > 0) {
          out.merge(values.lookupOrd(ord).utf8ToString(), counts[ord], Integer::sum);
        }
      }
    }
    return out;
  }

  /**
   * How many of {@code docs} have a price (double doc values) in each bucket; {@code bounds} are
   * ascending, bucket {@code i} is {@code [bounds[i-1], bounds[i])}, the first open below, the last
   * open above ({@code bounds.size() + 1} buckets). Documents without a price are not counted.
   */
  public static int[] ranges(IndexReader reader, BitSet docs, String field, List<Double> bounds)
      throws IOException {
    int[] counts = new int[bounds.size() + 1];
    for (LeafReaderContext leaf : reader.leaves()) {
      NumericDocValues values = DocValues.getNumeric(leaf.reader(), field);
      int end = leaf.docBase + leaf.reader().maxDoc();
      for (int d = nextIn(docs, leaf.docBase, end); d < end; d = nextIn(docs, d + 1, end)) {
        if (values.advanceExact(d - leaf.docBase)) {
          counts[bucket(NumericUtils.sortableLongToDouble(values.longValue()), bounds)]++;
        }
      }
    }
    return counts;
  }

  /** The bucket of a value: the number of bounds at or below it. */
  static int bucket(double value, List<Double> bounds) {
    int b = 0;
    while (b < bounds.size() && value >= bounds.get(b)) {
      b++;
    }
    return b;
  }

  private static int nextIn(BitSet docs, int from, int end) {
    if (from >= end || from >= docs.length()) {
      return end;
    }
    int d = docs.nextSetBit(from);
    return d == DocIdSetIterator.NO_MORE_DOCS ? end : Math.min(d, end);
  }
}
