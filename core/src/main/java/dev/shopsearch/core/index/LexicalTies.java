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
    int tied = 0;
    for (int i = 0; i < hits.length; ) {
      int end = runEnd(hits, i);
      if (end - i > 1) {
        tied += end - i;
      }
      i = end;
    }
    if (tied == 0) {
      return;
    }
    long[] byDoc = new long[tied];
    int t = 0;
    for (int i = 0; i < hits.length; ) {
      int end = runEnd(hits, i);
      for (int p = i; end - i > 1 && p < end; p++) {
        byDoc[t++] = ((long) hits[p].doc << 32) | p;
      }
      i = end;
    }
    Arrays.sort(byDoc);
    long[] keys = new long[hits.length];
    readKeys(reader.leaves(), byDoc, keys);
    for (int i = 0; i < hits.length; ) {
      int end = runEnd(hits, i);
      if (end - i > 1) {
        Arrays.sort(keys, i, end);
        for (int p = i; p < end; p++) {
          hits[p].doc = (int) (keys[p] & DOC_MASK);
        }
      }
      i = end;
    }
  }

  /** The end (exclusive) of the run of scores equal to {@code hits[from]}'s. */
  private static int runEnd(ScoreDoc[] hits, int from) {
    int end = from + 1;
    while (end < hits.length && hits[end].score == hits[from].score) {
      end++;
    }
    return end;
  }

  /** {@code keys[pos] = row << 31 | doc} for every {@code doc << 32 | pos} of {@code byDoc}. */
  private static void readKeys(List<LeafReaderContext> leaves, long[] byDoc, long[] keys)
      throws IOException {
    int leaf = -1;
    int leafEnd = 0;
    LeafReaderContext ctx = null;
    NumericDocValues rows = null;
    for (long entry : byDoc) {
      int doc = (int) (entry >>> 32);
      int pos = (int) entry;
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
      keys[pos] = (row << 31) | doc;
    }
  }
}
