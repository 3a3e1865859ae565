package dev.shopsearch.bench;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.opensearch.OpenSearchSearcher;
import dev.shopsearch.opensearch.SearchFilters;
import dev.shopsearch.opensearch.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.VectorUtil;

/**
 * Recall@k of each backend's kNN against an exact brute-force search over the same synthetic
 * vectors, asked as the service asks it: a window of {@code candidates} products (the service's
 * {@code num-candidates}), of which the first {@code k} count. Exact: the {@code k} products with
 * the highest dot product (cosine: every vector is unit norm), one image each.
 */
final class KnnRecall {
  private final List<float[]> queries;
  private final List<Set<String>> exact;
  private final int k;

  /**
   * @param vectors the catalog's vectors (products {@code 0..products-1})
   * @param queries query vectors
   */
  KnnRecall(ClusteredVectors vectors, int products, List<float[]> queries, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("need k >= 1; k=" + k);
    }
    this.queries = List.copyOf(queries);
    this.k = k;
    float[][] all = new float[products][];
    for (int i = 0; i < products; i++) {
      all[i] = vectors.vector(i);
    }
    exact = new ArrayList<>();
    for (float[] q : queries) {
      exact.add(exactTop(all, q, k));
    }
  }

  /**
   * Mean recall@k of one backend, and the mean time of its searches (one at a time, in this
   * process: for the cluster a round trip over HTTP).
   */
  record Result(double recall, double meanMs) {}

  /** Recall@k of the embedded generation ({@link ProductKnn#query}, as the service runs it). */
  Result embedded(OpenIndex index, int candidates) throws IOException {
    check(candidates);
    IndexSearcher searcher = new IndexSearcher(index.reader());
    BitSetProducer parents =
        new QueryBitSetProducer(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
    StoredFields stored = searcher.storedFields();
    double sum = 0;
    long t0 = System.nanoTime();
    for (int q = 0; q < queries.size(); q++) {
      TopDocs top =
          searcher.search(
              ProductKnn.query(
                  queries.get(q), null, candidates, index.metadata().vectorFormat(), parents),
              candidates);
      List<String> ids = new ArrayList<>();
      for (ScoreDoc sd : top.scoreDocs) {
        if (ids.size() == k) {
          break;
        }
        ids.add(stored.document(sd.doc).get(IndexSchema.PRODUCT_ID));
      }
      sum += recall(exact.get(q), ids);
    }
    return new Result(sum / queries.size(), (System.nanoTime() - t0) / 1e6 / queries.size());
  }

  /**
   * Mean recall@k of the cluster ({@link OpenSearchSearcher#knn} with {@code k = candidates}, as
   * the service's view asks it).
   */
  Result cluster(OpenSearchSearcher searcher, int candidates) {
    check(candidates);
    double sum = 0;
    long t0 = System.nanoTime();
    for (int q = 0; q < queries.size(); q++) {
      List<String> ids = new ArrayList<>();
      for (SearchHit h : searcher.knn(queries.get(q), SearchFilters.NONE, candidates, candidates)) {
        if (ids.size() == k) {
          break;
        }
        ids.add(h.productId());
      }
      sum += recall(exact.get(q), ids);
    }
    return new Result(sum / queries.size(), (System.nanoTime() - t0) / 1e6 / queries.size());
  }

  private void check(int candidates) {
    if (candidates < k) {
      throw new IllegalArgumentException(
          "candidates must be >= k; candidates=" + candidates + " k=" + k);
    }
  }

  private double recall(Set<String> truth, List<String> got) {
    int hit = 0;
    for (String id : new HashSet<>(got)) {
      if (truth.contains(id)) {
        hit++;
      }
    }
    return (double) hit / truth.size();
  }

  /** The ids ({@code b<i>}) of the {@code k} vectors nearest {@code q}. */
  static Set<String> exactTop(float[][] all, float[] q, int k) {
    float[] scores = new float[all.length];
    for (int i = 0; i < all.length; i++) {
      scores[i] = VectorUtil.dotProduct(all[i], q);
    }
    PriorityQueue<Integer> top =
        new PriorityQueue<>(
            k + 1,
            (a, b) -> {
              int c = Float.compare(scores[a], scores[b]);
              return c != 0 ? c : Integer.compare(b, a);
            });
    for (int i = 0; i < all.length; i++) {
      top.add(i);
      if (top.size() > k) {
        top.poll();
      }
    }
    Set<String> out = new HashSet<>();
    for (int i : top) {
      out.add("b" + i);
    }
    return out;
  }
}
