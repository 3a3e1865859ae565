package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.bundle.Similarity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Seeded recall of the HNSW index written through {@link ProductDocuments} vs brute force. */
@org.junit.jupiter.api.Tag("slow")
class IndexRecallTest {
  private static final int DIM = 64;
  private static final int PRODUCTS = 1500;
  private static final int K = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(
      value = VectorFormat.class,
      names = {"FLOAT", "INT7", "INT4"})
  void recallAt10AgainstBruteForce(VectorFormat format) throws IOException {
    Random rnd = new Random(42);
    ProductDocuments docs = new ProductDocuments(DIM, Similarity.COSINE);
    List<float[]> all = new ArrayList<>();
    List<String> owner = new ArrayList<>();
    float[][] vectors = IndexTestData.clustered(rnd, PRODUCTS * 2, DIM, 40, 0.35f);
    int next = 0;
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig().setCodec(IndexCodecs.codec(format, HnswParams.DEFAULT)))) {
      for (int p = 0; p < PRODUCTS; p++) {
        int n = 1 + (p % 2);
        List<ImageVector> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          float[] v = vectors[next++];
          images.add(new ImageVector("img" + i, i, v));
          all.add(v);
          owner.add("p" + p);
        }
        w.addDocuments(docs.block(IndexTestData.product("p" + p, n), images, "h"));
      }
      w.forceMerge(1);
      w.commit();
    }
    try (FSDirectory d = FSDirectory.open(dir);
        DirectoryReader reader = DirectoryReader.open(d)) {
      IndexSearcher searcher = new IndexSearcher(reader);
      QueryBitSetProducer parents =
          new QueryBitSetProducer(
              new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
      Random qr = new Random(7);
      double recallSum = 0;
      int queries = 50;
      for (int q = 0; q < queries; q++) {
        float[] query = all.get(qr.nextInt(all.size())).clone();
        query[q % DIM] += 0.3f;
        IndexTestData.unit(query);
        Set<String> exact = exactTopProducts(all, owner, query);
        int candidates = K * format.rescoreOversample();
        Query child =
            new DiversifyingChildrenFloatKnnVectorQuery(
                IndexSchema.VECTOR, query, null, candidates, parents);
        if (format.quantized()) {
          child =
              RescoreTopNQuery.createFullPrecisionRescorerQuery(
                  child, query, IndexSchema.VECTOR, K);
        }
        TopDocs top = searcher.search(child, K);
        Set<String> got = new HashSet<>();
        for (ScoreDoc sd : top.scoreDocs) {
          got.add(searcher.storedFields().document(sd.doc).get(IndexSchema.PRODUCT_ID));
        }
        assertThat(got).as("each product once").hasSize(top.scoreDocs.length);
        got.retainAll(exact);
        recallSum += got.size() / (double) K;
      }
      double recall = recallSum / queries;
      assertThat(recall).as("recall@10 for %s", format).isGreaterThanOrEqualTo(0.95);
    }
  }

  /** The K best products, each scored by its best image (what the diversifying query returns). */
  private static Set<String> exactTopProducts(List<float[]> all, List<String> owner, float[] q) {
    java.util.Map<String, Float> best = new java.util.HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      float s = VectorSimilarityFunction.COSINE.compare(q, all.get(i));
      best.merge(owner.get(i), s, Math::max);
    }
    String[] ids = best.keySet().toArray(new String[0]);
    Arrays.sort(ids, (a, b) -> Float.compare(best.get(b), best.get(a)));
    return new HashSet<>(Arrays.asList(ids).subList(0, K));
  }
}
