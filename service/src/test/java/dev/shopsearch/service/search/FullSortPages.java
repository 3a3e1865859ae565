package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.NumericUtils;

/**
 * The reference for {@link ResultPages}: the former paging, which loaded the key of every product
 * of the match set and sorted them all. Kept as a test oracle only.
 */
final class FullSortPages {
  private FullSortPages() {}

  static ResultPages.Page page(
      IndexReader reader, MatchSet m, SortOrder sort, Cursor after, int offset, int k, int fp)
      throws IOException {
    SortKeys.Key[] keys = load(reader, m, sort);
    Comparator<SortKeys.Key> order =
        (a, b) ->
            SortKeys.compare(sort, a.missing(), a.value(), a.id(), b.missing(), b.value(), b.id());
    Arrays.sort(keys, order);
    int from = offset;
    if (after != null) {
      from = 0;
      while (from < keys.length
          && SortKeys.compare(
                  sort,
                  keys[from].missing(),
                  keys[from].value(),
                  keys[from].id(),
                  after.missing(),
                  after.value(),
                  after.productId())
              <= 0) {
        from++;
      }
    }
    List<WeightedFusion.Fused> hits = new ArrayList<>();
    int end = Math.min(keys.length, from + k);
    for (int i = from; i < end; i++) {
      hits.add(new WeightedFusion.Fused(keys[i].doc(), keys[i].relevance()));
    }
    String next = null;
    if (end < keys.length && end > from) {
      SortKeys.Key last = keys[end - 1];
      next = new Cursor(sort, fp, last.missing(), last.value(), last.id()).encode();
    }
    return new ResultPages.Page(hits, next);
  }

  private static SortKeys.Key[] load(IndexReader reader, MatchSet m, SortOrder sort)
      throws IOException {
    String field =
        switch (sort) {
          case RELEVANCE -> null;
          case PRICE_ASC, PRICE_DESC -> IndexSchema.PRICE;
          case NEWEST -> IndexSchema.CATALOG_ROW;
        };
    SortKeys.Key[] keys = new SortKeys.Key[m.size()];
    List<LeafReaderContext> leaves = reader.leaves();
    for (int i = 0; i < keys.length; i++) {
      int doc = m.docs()[i];
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      int local = doc - leaf.docBase;
      SortedDocValues ids = DocValues.getSorted(leaf.reader(), IndexSchema.PRODUCT_ID);
      String id = ids.advanceExact(local) ? ids.lookupOrd(ids.ordValue()).utf8ToString() : "";
      double relevance = m.relevance()[i];
      NumericDocValues values = field == null ? null : DocValues.getNumeric(leaf.reader(), field);
      if (values == null) {
        keys[i] = new SortKeys.Key(doc, relevance, false, relevance, id);
      } else if (values.advanceExact(local)) {
        long raw = values.longValue();
        double v = sort == SortOrder.NEWEST ? raw : NumericUtils.sortableLongToDouble(raw);
        keys[i] = new SortKeys.Key(doc, relevance, false, v, id);
      } else {
        keys[i] = new SortKeys.Key(doc, relevance, true, 0, id);
      }
    }
    return keys;
  }
}
