package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoubleDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/** Sort keys from doc values, and the refusal of {@code newest} on an index without them. */
class SortKeysTest {

  /** Products as an index of schema version 2 wrote them: id and price, no catalog row. */
  static DirectoryReader schema2Index() throws Exception {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      for (String id : new String[] {"b", "a", "c"}) {
        Document d = new Document();
        d.add(new SortedDocValuesField(IndexSchema.PRODUCT_ID, new BytesRef(id)));
        if (!id.equals("c")) {
          d.add(new DoubleDocValuesField(IndexSchema.PRICE, 10));
        }
        w.addDocument(d);
      }
    }
    return DirectoryReader.open(dir);
  }

  static MatchSet all() {
    return new MatchSet(new int[] {2, 0, 1}, new double[] {3, 2, 1}, null, null);
  }

  @Test
  void newestOnAnIndexWithoutTheCatalogOrderIsA400SayingToRebuild() throws Exception {
    try (DirectoryReader r = schema2Index()) {
      assertThatThrownBy(
              () ->
                  ResultPages.page(
                      LuceneIndexView.ofReader(r, 7), all(), SortOrder.NEWEST, null, 0, 3, 0))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("index generation 7 does not have")
          .hasMessageContaining("rebuild the index")
          .extracting(e -> ((InvalidRequestException) e).parameter())
          .isEqualTo("sort");
    }
  }

  @Test
  void equalPricesAreOrderedByProductIdAndMissingPricesComeLast() throws Exception {
    try (DirectoryReader r = schema2Index()) {
      for (SortOrder sort : new SortOrder[] {SortOrder.PRICE_ASC, SortOrder.PRICE_DESC}) {
        ResultPages.Page page =
            ResultPages.page(LuceneIndexView.ofReader(r, 1), all(), sort, null, 0, 3, 0);
        Map<Integer, String> ids = Map.of(0, "b", 1, "a", 2, "c");
        assertThat(page.hits().stream().map(f -> ids.get(f.key())).toList())
            .as("%s", sort)
            .containsExactly("a", "b", "c");
        assertThat(page.nextCursor()).isNull();
      }
      // relevance: the match set's own order
      ResultPages.Page first =
          ResultPages.page(
              LuceneIndexView.ofReader(r, 1), all(), SortOrder.RELEVANCE, null, 0, 2, 0);
      assertThat(first.hits()).extracting(WeightedFusion.Fused::key).containsExactly(2, 0);
      Cursor next = Cursor.decode(first.nextCursor(), SortOrder.RELEVANCE, 0);
      assertThat(next.productId()).isEqualTo("b");
      assertThat(
              ResultPages.page(
                      LuceneIndexView.ofReader(r, 1), all(), SortOrder.RELEVANCE, next, 0, 2, 0)
                  .hits())
          .extracting(WeightedFusion.Fused::key)
          .containsExactly(1);
    }
  }
}
