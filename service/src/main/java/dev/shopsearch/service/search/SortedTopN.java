package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.core.search.SortedKeys;
import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * The first {@code n} products of a set of parent docs (a {@link MatchSet}) in a doc-values order
 * ({@link IndexSchema#PRICE} ascending or descending, {@link IndexSchema#CATALOG_ROW} descending
 * for {@link SortOrder#NEWEST}), optionally after a cursor position: Lucene's sorted top-N
 * collection ({@code TopFieldCollector} with {@code search_after}) over the set ({@link
 * MatchSetQuery}), so a page costs a pass over the matches with a heap of {@code n}, not a sort of
 * them all. Missing values sort last, the product id ascending breaks ties: the order of {@link
 * SortedKeys#compare}. The embedded backend's {@link LuceneIndexView#sortedTop}. Stateless.
 */
final class SortedTopN {
  private SortedTopN() {}

  /**
   * @param docs the parent docs to page (top-level doc ids)
   * @param field {@link dev.shopsearch.core.search.SortField#PRICE} or {@link
   *     dev.shopsearch.core.search.SortField#CATALOG_ROW}
   * @param after resume strictly after this position, or null
   * @param n how many to take (offset + page size + 1 to see whether a next page exists)
   * @return the first {@code n} products after {@code after}, in order, with their values and ids
   */
  static SortedKeys top(
      IndexReader reader,
      int[] docs,
      dev.shopsearch.core.search.SortField field,
      boolean descending,
      SortPosition after,
      int n)
      throws IOException {
    if (n <= 0 || docs.length == 0) {
      return SortedKeys.empty();
    }
    boolean row = field == dev.shopsearch.core.search.SortField.CATALOG_ROW;
    SortField value =
        row
            ? new SortField(IndexSchema.CATALOG_ROW, SortField.Type.LONG, descending)
            : new SortField(IndexSchema.PRICE, SortField.Type.DOUBLE, descending);
    Object missing = missingValue(row, descending);
    value.setMissingValue(missing);
    Sort order = new Sort(value, new SortField(IndexSchema.PRODUCT_ID, SortField.Type.STRING));
    IndexSearcher searcher = new IndexSearcher(reader);
    FixedBitSet bits = new FixedBitSet(Math.max(1, reader.maxDoc()));
    for (int d : docs) {
      bits.set(d);
    }
    MatchSetQuery query = new MatchSetQuery(bits);
    ScoreDoc[] top =
        after == null
            ? searcher.search(query, n, order, false).scoreDocs
            : searcher.searchAfter(resumeAt(reader, row, descending, after), query, n, order, false)
                .scoreDocs;
    int[] keys = new int[top.length];
    String[] ids = new String[top.length];
    double[] values = new double[top.length];
    boolean[] absent = new boolean[top.length];
    for (int i = 0; i < top.length; i++) {
      Object[] fields = ((FieldDoc) top[i]).fields;
      keys[i] = top[i].doc;
      absent[i] = missing.equals(fields[0]);
      values[i] = absent[i] ? 0 : ((Number) fields[0]).doubleValue();
      ids[i] = fields[1] == null ? "" : ((BytesRef) fields[1]).utf8ToString();
    }
    return new SortedKeys(keys, new SortValues(ids, values, absent));
  }

  /** The value Lucene sorts a product without one as: last in the order. */
  private static Object missingValue(boolean row, boolean descending) {
    if (row) {
      return descending ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return descending ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /**
   * The cursor as Lucene's {@code after}: its value and product id, with the last doc id of the
   * reader so that a product with the cursor's very key (the cursor's own) is not repeated.
   */
  private static FieldDoc resumeAt(
      IndexReader reader, boolean row, boolean descending, SortPosition c) {
    Object value;
    if (c.missing()) {
      value = missingValue(row, descending);
    } else if (row) {
      value = (long) c.value();
    } else {
      value = c.value();
    }
    return new FieldDoc(
        Math.max(0, reader.maxDoc() - 1),
        Float.NaN,
        new Object[] {value, new BytesRef(c.productId())});
  }
}
