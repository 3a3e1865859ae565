package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/**
 * The first {@code n} products of a {@link MatchSet} in a doc-values order ({@link
 * SortOrder#PRICE_ASC}, {@link SortOrder#PRICE_DESC}, {@link SortOrder#NEWEST}), optionally after a
 * {@link Cursor}: Lucene's sorted top-N collection ({@code TopFieldCollector} with {@code
 * search_after}) over the match set, so a page costs a pass over the matches with a heap of {@code
 * n}, not a sort of them all. Missing values sort last, the product id ascending breaks ties: the
 * order of {@link SortKeys#compare}. Stateless.
 */
final class SortedTopN {
  private SortedTopN() {}

  /**
   * @param after resume strictly after this position, or null
   * @param n how many to take (offset + page size + 1 to see whether a next page exists)
   * @return the keys of the first {@code n} products after {@code after}, in order; their {@code
   *     relevance} is not filled in (NaN)
   */
  static List<SortKeys.Key> top(IndexReader reader, MatchSet m, SortOrder sort, Cursor after, int n)
      throws IOException {
    if (n <= 0 || m.size() == 0) {
      return List.of();
    }
    boolean newest = sort == SortOrder.NEWEST;
    boolean reverse = sort != SortOrder.PRICE_ASC;
    SortField value =
        newest
            ? new SortField(IndexSchema.CATALOG_ROW, SortField.Type.LONG, true)
            : new SortField(IndexSchema.PRICE, SortField.Type.DOUBLE, reverse);
    Object missing = missingValue(sort);
    value.setMissingValue(missing);
    Sort order = new Sort(value, new SortField(IndexSchema.PRODUCT_ID, SortField.Type.STRING));
    IndexSearcher searcher = new IndexSearcher(reader);
    MatchSetQuery query = new MatchSetQuery(m.bits(reader.maxDoc()));
    ScoreDoc[] docs =
        after == null
            ? searcher.search(query, n, order, false).scoreDocs
            : searcher.searchAfter(resumeAt(reader, sort, after), query, n, order, false).scoreDocs;
    List<SortKeys.Key> keys = new ArrayList<>(docs.length);
    for (ScoreDoc sd : docs) {
      Object[] fields = ((FieldDoc) sd).fields;
      boolean absent = missing.equals(fields[0]);
      double v = absent ? 0 : ((Number) fields[0]).doubleValue();
      String id = fields[1] == null ? "" : ((BytesRef) fields[1]).utf8ToString();
      keys.add(new SortKeys.Key(sd.doc, Double.NaN, absent, v, id));
    }
    return keys;
  }

  /** The value Lucene sorts a product without one as: last in the order. */
  private static Object missingValue(SortOrder sort) {
    return switch (sort) {
      case PRICE_ASC -> Double.POSITIVE_INFINITY;
      case PRICE_DESC -> Double.NEGATIVE_INFINITY;
      case NEWEST -> Long.MIN_VALUE;
      case RELEVANCE -> throw new IllegalArgumentException("relevance is not a doc-values order");
    };
  }

  /**
   * The cursor as Lucene's {@code after}: its value and product id, with the last doc id of the
   * reader so that a product with the cursor's very key (the cursor's own) is not repeated.
   */
  private static FieldDoc resumeAt(IndexReader reader, SortOrder sort, Cursor c) {
    Object value;
    if (c.missing()) {
      value = missingValue(sort);
    } else if (sort == SortOrder.NEWEST) {
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
