package dev.shopsearch.core.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.search.ScoreDoc;

/**
 * The order of BM25 matches with equal scores, the same on every backend: by {@link
 * IndexSchema#CATALOG_ROW} ascending (the catalog's order; products without a row last), then by
 * doc id where rows coincide. Lucene returns ties in doc id order, which depends on how segments
 * were written and merged, and a remote engine in its shards' order; ordering ties by a key both
 * backends store makes a tied product's list rank, and so its fused score, the same on both (the
 * OpenSearch backend sorts by {@code _score}, then {@code catalog_row}).
 *
 * <p>Cost: one doc-value read per tied hit, in doc id order, and a primitive sort of each tie; hits
 * without a tie are not touched.
 */
public final class LexicalTies {
  /** The row of a product without one (sorts last). */
  private static final long MISSING = 0xFFFF_FFFFL;

  private static final long DOC_MASK = 0x7FFF_FFFFL;

  private LexicalTies() {}

  /**
   * Reorders every run of equal scores in {@code hits} (sorted by descending score, top-level doc
   * ids of {@code reader}) by catalog row, then doc id. The hits' scores are unchanged.
   */
  public static void order(IndexReader reader, ScoreDoc[] hits) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    long[] keys = null;
    for (int i = 0; i < hits.length; ) {
      int end = runEnd(hits, i);
      if (end - i > 1) {
        if (keys == null) {
          keys = new long[hits.length];
        }
        orderRun(leaves, hits, i, end, keys);
      }
      i = end;
    }
  }

  /**
   * Orders {@code hits[from, to)}: reads each doc's row in doc id order (Lucene's score-sorted top
   * docs list a tie in doc id order already; other orders are sorted first), then sorts the run's
   * {@code row << 31 | doc} keys — already sorted, and so cheap, where rows follow doc ids, as in a
   * fresh build.
   */
  private static void orderRun(
      List<LeafReaderContext> leaves, ScoreDoc[] hits, int from, int to, long[] keys)
      throws IOException {
    if (!ascendingDocs(hits, from, to)) {
      Arrays.sort(hits, from, to, (a, b) -> Integer.compare(a.doc, b.doc));
    }
    int leaf = -1;
    int leafEnd = 0;
    LeafReaderContext ctx = null;
    NumericDocValues rows = null;
    for (int p = from; p < to; p++) {
      int doc = hits[p].doc;
      while (doc >= leafEnd) {
        ctx = leaves.get(++leaf);
        rows = ctx.reader().getNumericDocValues(IndexSchema.CATALOG_ROW);
        leafEnd = ctx.docBase + ctx.reader().maxDoc();
      }
      long row = MISSING;
      if (rows != null && rows.advanceExact(doc - ctx.docBase)) {
        long v = rows.longValue();
        row = v < 0 || v >= MISSING ? MISSING : v;
      }
      keys[p] = (row << 31) | doc;
    }
    Arrays.sort(keys, from, to);
    for (int p = from; p < to; p++) {
      hits[p].doc = (int) (keys[p] & DOC_MASK);
    }
  }

  private static boolean ascendingDocs(ScoreDoc[] hits, int from, int to) {
    for (int p = from + 1; p < to; p++) {
      if (hits[p].doc <= hits[p - 1].doc) {
        return false;
      }
    }
    return true;
  }

  /** The end (exclusive) of the run of scores equal to {@code hits[from]}'s. */
  private static int runEnd(ScoreDoc[] hits, int from) {
    int end = from + 1;
    while (end < hits.length && hits[end].score == hits[from].score) {
      end++;
    }
    return end;
  }
}
