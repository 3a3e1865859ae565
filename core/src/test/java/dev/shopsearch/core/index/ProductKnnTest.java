package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.Similarity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

/** The image kNN query with an explicit candidate count (what the kNN benchmark tunes). */
class ProductKnnTest {
  private static final int DIM = 16;
  private static final BitSetProducer PARENTS =
      new QueryBitSetProducer(
          new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));

  @Test
  void candidatesWiderThanTheWindowAreRescoredDownToTheExactNearestProducts() throws IOException {
    float[][] vectors = IndexTestData.clustered(new Random(3), 60, DIM, 3, 0.3f);
    float[] query = vectors[7].clone();
    query[0] += 0.05f;
    VectorUtil.l2normalize(query);
    List<String> exact =
        IntStream.range(0, vectors.length)
            .boxed()
            .sorted(
                Comparator.comparingDouble(
                    i -> -VectorUtil.dotProduct(VectorUtil.l2normalize(vectors[i].clone()), query)))
            .limit(5)
            .map(i -> "p" + i)
            .toList();
    try (ByteBuffersDirectory dir = index(vectors, VectorFormat.INT7);
        DirectoryReader r = DirectoryReader.open(dir)) {
      IndexSearcher s = new IndexSearcher(r);
      ScoreDoc[] hits = s.search(ProductKnn.query(query, null, 5, 60, true, PARENTS), 5).scoreDocs;
      List<String> ids = new ArrayList<>();
      for (ScoreDoc h : hits) {
        ids.add(s.storedFields().document(h.doc).get(IndexSchema.PRODUCT_ID));
      }
      // every product is a candidate: rescoring at full precision gives the exact order
      assertThat(ids).containsExactlyElementsOf(exact);
      // the format's default query keeps the window too
      assertThat(
              s.search(ProductKnn.query(query, null, 5, VectorFormat.INT7, PARENTS), 5).scoreDocs)
          .hasSize(5);
    }
  }

  @Test
  void fewerCandidatesThanTheWindowAreRefusedNamingBoth() {
    assertThatThrownBy(() -> ProductKnn.query(new float[DIM], null, 10, 9, true, PARENTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("candidates >= window; window=10, candidates=9");
  }

  private static ByteBuffersDirectory index(float[][] vectors, VectorFormat format)
      throws IOException {
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    ProductDocuments docs = new ProductDocuments(DIM, Similarity.COSINE);
    try (IndexWriter w =
        new IndexWriter(
            dir, new IndexWriterConfig().setCodec(IndexCodecs.codec(format, HnswParams.DEFAULT)))) {
      for (int i = 0; i < vectors.length; i++) {
        w.addDocuments(
            docs.block(
                IndexTestData.product("p" + i, 1),
                List.of(new ImageVector("p" + i + ".jpg", 0, vectors[i])),
                "h"));
      }
      w.forceMerge(1);
    }
    return dir;
  }
}
