package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.index.IndexSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ResultPages} ranks only the page's top-N (bounded heap, Lucene's sorted collection) and
 * gives the same pages as sorting the whole match set ({@link FullSortPages}): seeded random
 * catalogs over several segments, with non-product documents, missing prices and catalog rows, many
 * equal prices and scores (ties broken by product id, which is not in doc order), every order,
 * offset pages and cursor chains to the end.
 */
class TopNPagesTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void pagesEqualTheFullSortOnSeededRandomCatalogs(long seed) throws Exception {
    Random r = new Random(seed);
    try (DirectoryReader reader = randomIndex(r, 100 + r.nextInt(200))) {
      List<Integer> products = new ArrayList<>();
      for (int d = 0; d < reader.maxDoc(); d++) {
        if (reader.storedFields().document(d).get(IndexSchema.DOC_TYPE).equals("product")) {
          products.add(d);
        }
      }
      for (int round = 0; round < 3; round++) {
        MatchSet m = randomMatchSet(r, products);
        for (SortOrder sort : SortOrder.values()) {
          for (int k : new int[] {1, 7, 24}) {
            for (int offset : new int[] {0, 1, 5, 23, 60, m.size() - 1, m.size(), m.size() + 3}) {
              if (offset < 0) {
                continue;
              }
              assertSamePage(reader, m, sort, null, offset, k, "offset " + offset);
            }
            if (k == 1) {
              continue; // cursor chains at k=1 cost a full-sort oracle per product
            }
            // a cursor chain through the whole list, from the first page
            Cursor after = null;
            int pages = 0;
            do {
              ResultPages.Page expected = FullSortPages.page(reader, m, sort, after, 0, k, 9);
              assertSamePage(reader, m, sort, after, 0, k, "cursor page " + pages);
              after =
                  expected.nextCursor() == null
                      ? null
                      : Cursor.decode(expected.nextCursor(), sort, 9);
              pages++;
            } while (after != null);
            assertThat(pages).isEqualTo(Math.max(1, (m.size() + k - 1) / k));
          }
        }
      }
    }
  }

  private static void assertSamePage(
      DirectoryReader reader,
      MatchSet m,
      SortOrder sort,
      Cursor after,
      int offset,
      int k,
      String what)
      throws Exception {
    ResultPages.Page expected = FullSortPages.page(reader, m, sort, after, offset, k, 9);
    ResultPages.Page actual =
        ResultPages.page(LuceneIndexView.ofReader(reader, 1), m, sort, after, offset, k, 9);
    assertThat(actual.hits())
        .as("%s, k=%d, %s, %d matches", sort, k, what, m.size())
        .isEqualTo(expected.hits());
    assertThat(actual.nextCursor())
        .as("next cursor: %s, k=%d, %s", sort, k, what)
        .isEqualTo(expected.nextCursor());
  }

  /**
   * Products with shuffled ids, prices from a few values (many ties; some missing), catalog rows
   * (some missing, some equal), an image child after some, flushed into several segments.
   */
  static DirectoryReader randomIndex(Random r, int products) throws Exception {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < products; i++) {
      ids.add(String.format("p%05d", i));
    }
    Collections.shuffle(ids, r);
    IndexWriterConfig cfg = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      for (int i = 0; i < products; i++) {
        if (r.nextInt(3) == 0) {
          Document child = new Document();
          child.add(new StringField(IndexSchema.DOC_TYPE, "image", Field.Store.YES));
          child.add(
              new SortedDocValuesField(
                  IndexSchema.PRODUCT_ID, new org.apache.lucene.util.BytesRef(ids.get(i))));
          w.addDocument(child);
        }
        Document d = new Document();
        d.add(new StringField(IndexSchema.DOC_TYPE, "product", Field.Store.YES));
        d.add(
            new SortedDocValuesField(
                IndexSchema.PRODUCT_ID, new org.apache.lucene.util.BytesRef(ids.get(i))));
        if (r.nextInt(8) != 0) {
          double price = 5 + r.nextInt(30) * 2.5;
          d.add(new DoublePoint(IndexSchema.PRICE, price));
          d.add(new DoubleDocValuesField(IndexSchema.PRICE, price));
        }
        if (r.nextInt(10) != 0) {
          d.add(new NumericDocValuesField(IndexSchema.CATALOG_ROW, r.nextInt(products * 2)));
        }
        w.addDocument(d);
        if (r.nextInt(60) == 0) {
          w.commit();
        }
      }
    }
    return DirectoryReader.open(dir);
  }

  /** A random subset of the products in a random order, with scores from a few values (ties). */
  static MatchSet randomMatchSet(Random r, List<Integer> products) {
    List<Integer> chosen = new ArrayList<>();
    double p = r.nextDouble();
    for (int d : products) {
      if (r.nextDouble() < p) {
        chosen.add(d);
      }
    }
    Collections.shuffle(chosen, r);
    int[] docs = chosen.stream().mapToInt(Integer::intValue).toArray();
    double[] scores = new double[docs.length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = r.nextInt(12) / 7.0;
    }
    return new MatchSet(docs, scores, null, null);
  }
}
