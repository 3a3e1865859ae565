package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.NumericUtils;

/**
 * The sort key of every product of a {@link MatchSet}: its sort value (relevance, price from the
 * {@link IndexSchema#PRICE} doc values, catalog row from {@link IndexSchema#CATALOG_ROW}) and its
 * product id (tie-break, from the {@link IndexSchema#PRODUCT_ID} doc values). Stateless.
 */
final class SortKeys {
  private SortKeys() {}

  /**
   * One product's key.
   *
   * @param doc parent doc id
   * @param relevance relevance score
   * @param missing whether the product has no sort value
   * @param value the sort value
   * @param id product id
   */
  record Key(int doc, double relevance, boolean missing, double value, String id) {}

  /**
   * Loads the keys of a match set for an order.
   *
   * @param generation the served generation (named in the refusal of {@code newest})
   * @throws InvalidRequestException naming {@code sort} when the index has no catalog order
   */
  static Key[] load(IndexReader reader, MatchSet m, SortOrder sort, long generation)
      throws IOException {
    String field =
        switch (sort) {
          case RELEVANCE -> null;
          case PRICE_ASC, PRICE_DESC -> IndexSchema.PRICE;
          case NEWEST -> IndexSchema.CATALOG_ROW;
        };
    if (sort == SortOrder.NEWEST
        && m.size() > 0
        && FieldInfos.getMergedFieldInfos(reader).fieldInfo(field) == null) {
      throw new InvalidRequestException(
          "sort",
          String.format(
              Locale.ROOT,
              "sort=newest needs the catalog order, which index generation %d does not have (built"
                  + " before schema version 3); rebuild the index, or use one of relevance,"
                  + " price_asc, price_desc",
              generation));
    }
    Integer[] byDoc = new Integer[m.size()];
    for (int i = 0; i < byDoc.length; i++) {
      byDoc[i] = i;
    }
    Arrays.sort(byDoc, (a, b) -> Integer.compare(m.docs()[a], m.docs()[b]));
    Key[] keys = new Key[m.size()];
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = null;
    SortedDocValues ids = null;
    NumericDocValues values = null;
    for (int i : byDoc) {
      int doc = m.docs()[i];
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        ids = DocValues.getSorted(leaf.reader(), IndexSchema.PRODUCT_ID);
        values = field == null ? null : DocValues.getNumeric(leaf.reader(), field);
      }
      int local = doc - leaf.docBase;
      String id = ids.advanceExact(local) ? ids.lookupOrd(ids.ordValue()).utf8ToString() : "";
      double relevance = m.relevance()[i];
      if (values == null) {
        keys[i] = new Key(doc, relevance, false, relevance, id);
      } else if (values.advanceExact(local)) {
        long raw = values.longValue();
        double v = sort == SortOrder.NEWEST ? raw : NumericUtils.sortableLongToDouble(raw);
        keys[i] = new Key(doc, relevance, false, v, id);
      } else {
        keys[i] = new Key(doc, relevance, true, 0, id);
      }
    }
    return keys;
  }

  /** Compares two positions in the order of {@code sort}: negative when {@code a} comes first. */
  static int compare(
      SortOrder sort,
      boolean missingA,
      double a,
      String idA,
      boolean missingB,
      double b,
      String idB) {
    if (missingA != missingB) {
      return missingA ? 1 : -1;
    }
    if (!missingA) {
      int c = sort == SortOrder.PRICE_ASC ? Double.compare(a, b) : Double.compare(b, a);
      if (c != 0) {
        return c;
      }
    }
    return idA.compareTo(idB);
  }
}
