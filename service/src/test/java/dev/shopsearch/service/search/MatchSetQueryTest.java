package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.index.IndexSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.junit.jupiter.api.Test;

/**
 * The match set as a query, where Lucene's price sort skips non-competitive documents with the
 * price points (large segments): it advances the iterator to any target, up to NO_MORE_DOCS.
 */
class MatchSetQueryTest {

  /** Two large segments of products with a price point and doc values each. */
  static DirectoryReader pricedIndex(int perSegment) throws Exception {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    Random r = new Random(5);
    IndexWriterConfig cfg = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      for (int i = 0; i < 2 * perSegment; i++) {
        Document d = new Document();
        d.add(
            new SortedDocValuesField(
                IndexSchema.PRODUCT_ID, new BytesRef(String.format("p%06d", i))));
        double price = 1 + r.nextInt(5000) / 4.0;
        d.add(new DoublePoint(IndexSchema.PRICE, price));
        d.add(new DoubleDocValuesField(IndexSchema.PRICE, price));
        w.addDocument(d);
        if (i == perSegment - 1) {
          w.commit();
        }
      }
    }
    return DirectoryReader.open(dir);
  }

  @Test
  void advancingToTheEndOfTheSecondLeafEnds() throws Exception {
    try (DirectoryReader reader = pricedIndex(50)) {
      FixedBitSet bits = new FixedBitSet(reader.maxDoc());
      bits.set(0, reader.maxDoc());
      var weight =
          new IndexSearcher(reader)
              .createWeight(new MatchSetQuery(bits), ScoreMode.COMPLETE_NO_SCORES, 1);
      var second = reader.leaves().get(1);
      DocIdSetIterator it = weight.scorerSupplier(second).get(Long.MAX_VALUE).iterator();
      assertThat(it.advance(3)).isEqualTo(3);
      assertThat(it.advance(DocIdSetIterator.NO_MORE_DOCS))
          .isEqualTo(DocIdSetIterator.NO_MORE_DOCS);
    }
  }

  @Test
  void priceOrderOverLargeSegmentsEqualsTheFullSort() throws Exception {
    try (DirectoryReader reader = pricedIndex(30_000)) {
      List<Integer> docs = new ArrayList<>();
      Random r = new Random(9);
      for (int d = 0; d < reader.maxDoc(); d++) {
        if (r.nextInt(3) != 0) {
          docs.add(d);
        }
      }
      int[] ids = docs.stream().mapToInt(Integer::intValue).toArray();
      MatchSet m = new MatchSet(ids, new double[ids.length], null, null);
      for (SortOrder sort : new SortOrder[] {SortOrder.PRICE_ASC, SortOrder.PRICE_DESC}) {
        for (int offset : new int[] {0, 500}) {
          assertThat(
                  ResultPages.page(
                      LuceneIndexView.ofReader(reader, 1), m, sort, null, offset, 24, 3))
              .as("%s offset %d", sort, offset)
              .isEqualTo(FullSortPages.page(reader, m, sort, null, offset, 24, 3));
        }
      }
    }
  }
}
