package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.index.VectorFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;

/**
 * Recall@k of the search the service runs against exact search, at product level (package-private).
 * The approximate side is {@link ProductKnn}: the best image per product, the service's candidate
 * window for a first page of {@code k} ({@link ProductKnn#window}) and full-precision rescoring for
 * quantised formats; its first {@code k} distinct products are compared with the {@code k} products
 * whose best live image vector scores highest (brute force over every vector). A returned product
 * counts as correct when its exact score reaches the k-th best exact score, so ties (the same photo
 * under several products) never count against the index.
 *
 * <p>Queries are the normalised sum of two randomly drawn indexed vectors, seeded. Cost: one pass
 * over all vectors for all queries at once, plus {@code queries} kNN searches.
 *
 * @param queries number of random queries, at least 1
 * @param k products compared per query, at least 1
 * @param candidates the service's HNSW candidates ({@code shopsearch.search.num-candidates})
 * @param seed random seed of the queries
 */
record ProductRecall(int queries, int k, int candidates, long seed) {
  ProductRecall {
    if (queries < 1 || k < 1 || candidates < 1) {
      throw new IllegalArgumentException(
          "queries, k and candidates must be >= 1; queries="
              + queries
              + ", k="
              + k
              + ", candidates="
              + candidates);
    }
  }

  /** The window the service asks the kNN for on a first page of {@code k}. */
  int window() {
    return ProductKnn.window(k, 0, candidates);
  }

  /** Mean recall@k over the queries; 1 when the index holds no vector. */
  double measure(DirectoryReader reader, VectorFormat format) throws IOException {
    float[][] qs = queryVectors(reader);
    if (qs.length == 0) {
      return 1;
    }
    VectorSimilarityFunction sim = similarity(reader);
    BitSetProducer parents =
        new QueryBitSetProducer(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
    List<PriorityQueue<Float>> exact = exactTopK(reader, qs, sim, parents);
    IndexSearcher searcher = new IndexSearcher(reader);
    double sum = 0;
    for (int i = 0; i < qs.length; i++) {
      PriorityQueue<Float> top = exact.get(i);
      if (top.isEmpty()) {
        sum += 1;
        continue;
      }
      List<Float> scores = new ArrayList<>();
      for (int parent : approximate(searcher, qs[i], format, parents)) {
        scores.add(productScore(reader, parent, qs[i], sim, parents));
      }
      sum += queryRecall(top, scores, k);
    }
    return sum / qs.length;
  }

  /**
   * Recall of one query (shared by both backends): the share of the approximate side's products
   * ({@code approximateScores}, their exact scores) that reach the k-th best exact product score
   * ({@code exactTop}, a min-heap of at most {@code k}); ties count as correct. 1 when the exact
   * side is empty.
   */
  static double queryRecall(PriorityQueue<Float> exactTop, List<Float> approximateScores, int k) {
    if (exactTop.isEmpty()) {
      return 1;
    }
    float kth = exactTop.size() < k ? Float.NEGATIVE_INFINITY : exactTop.peek();
    int correct = 0;
    for (float score : approximateScores) {
      if (score >= kth - 1e-5f * Math.max(1f, Math.abs(kth))) {
        correct++;
      }
    }
    return Math.min(1.0, correct / (double) Math.min(k, exactTop.size()));
  }

  /** The first {@code k} distinct products of the service's kNN, as global parent doc ids. */
  private Set<Integer> approximate(
      IndexSearcher searcher, float[] q, VectorFormat format, BitSetProducer parentsFilter)
      throws IOException {
    int window = window();
    ScoreDoc[] hits =
        searcher.search(ProductKnn.query(q, null, window, format, parentsFilter), window).scoreDocs;
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Set<Integer> parents = new LinkedHashSet<>();
    for (ScoreDoc hit : hits) {
      if (parents.size() == k) {
        break;
      }
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
      BitSet bits = parentsFilter.getBitSet(leaf);
      int local = hit.doc - leaf.docBase;
      if (bits != null && local < bits.length()) {
        int parent = bits.nextSetBit(local);
        if (parent != DocIdSetIterator.NO_MORE_DOCS) {
          parents.add(leaf.docBase + parent);
        }
      }
    }
    return parents;
  }

  /** The best score of any live image of the product whose parent is {@code parent}. */
  private static float productScore(
      DirectoryReader reader,
      int parent,
      float[] q,
      VectorSimilarityFunction sim,
      BitSetProducer parentsFilter)
      throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(parent, leaves));
    int local = parent - leaf.docBase;
    BitSet bits = parentsFilter.getBitSet(leaf);
    int first = local == 0 ? 0 : bits.prevSetBit(local - 1) + 1;
    FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
    Bits live = leaf.reader().getLiveDocs();
    float best = Float.NEGATIVE_INFINITY;
    if (values == null) {
      return best;
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    for (int d = it.advance(first); d < local; d = it.nextDoc()) {
      if (live == null || live.get(d)) {
        best = Math.max(best, sim.compare(q, values.vectorValue(it.index())));
      }
    }
    return best;
  }

  /**
   * Brute force, one pass over every live vector for all queries: per query, a min-heap of the
   * {@code k} best product scores (a product scores its best image). Children precede their parent
   * in a block, so consecutive vectors with the same next parent belong to one product.
   */
  private List<PriorityQueue<Float>> exactTopK(
      DirectoryReader reader, float[][] qs, VectorSimilarityFunction sim, BitSetProducer filter)
      throws IOException {
    List<PriorityQueue<Float>> heaps = new ArrayList<>();
    for (int i = 0; i < qs.length; i++) {
      heaps.add(new PriorityQueue<>());
    }
    float[] best = new float[qs.length];
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      BitSet parents = filter.getBitSet(leaf);
      if (values == null || parents == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = values.iterator();
      int current = -1;
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        int parent = d < parents.length() ? parents.nextSetBit(d) : DocIdSetIterator.NO_MORE_DOCS;
        if (parent == DocIdSetIterator.NO_MORE_DOCS) {
          continue; // an image without its product: verify's block check reports it
        }
        if (parent != current) {
          offer(heaps, best, current);
          current = parent;
          Arrays.fill(best, Float.NEGATIVE_INFINITY);
        }
        float[] vec = values.vectorValue(it.index());
        for (int i = 0; i < qs.length; i++) {
          best[i] = Math.max(best[i], sim.compare(qs[i], vec));
        }
      }
      offer(heaps, best, current);
    }
    return heaps;
  }

  private void offer(List<PriorityQueue<Float>> heaps, float[] best, int product) {
    if (product < 0) {
      return;
    }
    offerTopK(heaps, best, k);
  }

  /** Offers one product's best score per query to each query's min-heap of the {@code k} best. */
  static void offerTopK(List<PriorityQueue<Float>> heaps, float[] best, int k) {
    for (int i = 0; i < best.length; i++) {
      PriorityQueue<Float> h = heaps.get(i);
      if (h.size() < k) {
        h.add(best[i]);
      } else if (best[i] > h.peek()) {
        h.poll();
        h.add(best[i]);
      }
    }
  }

  private float[][] queryVectors(DirectoryReader reader) throws IOException {
    List<float[]> sample = sampleVectors(reader, 2 * queries);
    if (sample.isEmpty()) {
      return new float[0][];
    }
    return combine(sample, queries, seed);
  }

  /**
   * The verification queries (shared by both backends): each the normalised sum of two vectors
   * drawn from {@code sample} with {@code seed}.
   */
  static float[][] combine(List<float[]> sample, int queries, long seed) {
    Random rnd = new Random(seed);
    float[][] qs = new float[queries][];
    for (int i = 0; i < queries; i++) {
      float[] a = sample.get(rnd.nextInt(sample.size()));
      float[] b = sample.get(rnd.nextInt(sample.size()));
      float[] q = new float[a.length];
      double n = 0;
      for (int d = 0; d < q.length; d++) {
        q[d] = a[d] + b[d];
        n += q[d] * q[d];
      }
      float inv = n == 0 ? 1 : (float) (1 / Math.sqrt(n));
      for (int d = 0; d < q.length; d++) {
        q[d] *= inv;
      }
      qs[i] = q;
    }
    return qs;
  }

  private List<float[]> sampleVectors(DirectoryReader reader, int n) throws IOException {
    Random rnd = sampleRandom(seed);
    long total = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      total += v == null ? 0 : v.size();
    }
    double p = sampleProbability(n, total);
    List<float[]> out = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (v == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = v.iterator();
      for (int d = it.nextDoc();
          d != DocIdSetIterator.NO_MORE_DOCS && out.size() < n;
          d = it.nextDoc()) {
        if ((live == null || live.get(d)) && rnd.nextDouble() < p) {
          out.add(v.vectorValue(it.index()).clone());
        }
      }
    }
    return out;
  }

  /** The random source of the vector sample (shared by both backends). */
  static Random sampleRandom(long seed) {
    return new Random(seed ^ 0x5DEECE66DL);
  }

  /**
   * Each vector's chance to join a sample of {@code n} out of {@code total} (twice oversampled).
   */
  static double sampleProbability(int n, long total) {
    return total == 0 ? 0 : Math.min(1, n * 2.0 / total);
  }

  private static VectorSimilarityFunction similarity(DirectoryReader reader) {
    for (LeafReaderContext leaf : reader.leaves()) {
      var fi = leaf.reader().getFieldInfos().fieldInfo(IndexSchema.VECTOR);
      if (fi != null) {
        return fi.getVectorSimilarityFunction();
      }
    }
    return VectorSimilarityFunction.COSINE;
  }
}
