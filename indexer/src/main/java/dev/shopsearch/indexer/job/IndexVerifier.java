package dev.shopsearch.indexer.job;

import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.VectorFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * Verifies the live generation: Lucene's CheckIndex, metadata counts, the block structure (every
 * image is followed by its product's parent document) and a recall spot-check of the HNSW graph
 * against exact search.
 *
 * @param queries number of random queries (each the normalised sum of two indexed vectors)
 * @param k neighbours compared per query
 * @param minRecall recall@k below which the verification fails
 * @param seed random seed of the queries
 * @param checkIndex run CheckIndex (reads every file; slow on big indexes)
 */
public record IndexVerifier(int queries, int k, double minRecall, long seed, boolean checkIndex) {

  public IndexVerifier {
    if (queries < 1 || queries > 10_000) {
      throw new IllegalArgumentException("queries must be in [1, 10000]; queries=" + queries);
    }
    if (k < 1 || k > 1000) {
      throw new IllegalArgumentException("k must be in [1, 1000]; k=" + k);
    }
  }

  /** What {@link #verify} found. */
  public record Result(
      String generation,
      boolean passed,
      List<String> problems,
      boolean checkIndexRan,
      boolean checkIndexClean,
      long products,
      long images,
      int queries,
      int k,
      double recall,
      double minRecall,
      double seconds) {}

  /** Verifies {@code CURRENT} under an index root. */
  public Result verify(IndexGenerations gens) throws IOException {
    Generation gen =
        gens.current()
            .orElseThrow(() -> new IOException("no published generation under " + gens.root()));
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    boolean clean = true;
    if (checkIndex) {
      clean = runCheckIndex(gen, problems);
    }
    try (OpenIndex open = IndexGenerations.open(gen)) {
      DirectoryReader reader = open.reader();
      long products = JobSupport.countType(reader, IndexSchema.TYPE_PRODUCT);
      long images = JobSupport.countType(reader, IndexSchema.TYPE_IMAGE);
      if (products != open.metadata().products() || images != open.metadata().images()) {
        problems.add(
            String.format(
                Locale.ROOT,
                "index holds %d products / %d images; metadata says %d / %d",
                products,
                images,
                open.metadata().products(),
                open.metadata().images()));
      }
      checkBlocks(reader, problems);
      double recall = images == 0 ? 1 : recall(reader, open.metadata().vectorFormat());
      if (recall < minRecall) {
        problems.add(
            String.format(
                Locale.ROOT, "recall@%d %.4f is below the minimum %.4f", k, recall, minRecall));
      }
      return new Result(
          gen.name(),
          problems.isEmpty(),
          problems,
          checkIndex,
          clean,
          products,
          images,
          queries,
          k,
          recall,
          minRecall,
          (System.nanoTime() - start) / 1e9);
    }
  }

  private static boolean runCheckIndex(Generation gen, List<String> problems) throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (var dir = org.apache.lucene.store.FSDirectory.open(gen.dir());
        CheckIndex ci = new CheckIndex(dir)) {
      ci.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
      CheckIndex.Status status = ci.checkIndex();
      if (!status.clean) {
        String text = log.toString(StandardCharsets.UTF_8);
        problems.add(
            "CheckIndex found problems: "
                + text.substring(Math.max(0, text.length() - 2000)).replace('\n', ' '));
      }
      return status.clean;
    }
  }

  /** Every image doc must be followed by the parent of the same product; every parent has one. */
  private static void checkBlocks(DirectoryReader reader, List<String> problems)
      throws IOException {
    IndexSearcher searcher = new IndexSearcher(reader);
    Weight parentsWeight =
        searcher.createWeight(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            ScoreMode.COMPLETE_NO_SCORES,
            1);
    long bad = 0;
    String example = null;
    for (LeafReaderContext leaf : reader.leaves()) {
      int maxDoc = leaf.reader().maxDoc();
      FixedBitSet parents = new FixedBitSet(Math.max(1, maxDoc));
      Scorer s = parentsWeight.scorer(leaf);
      if (s != null) {
        DocIdSetIterator it = s.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          parents.set(d);
        }
      }
      SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.PRODUCT_ID);
      Bits live = leaf.reader().getLiveDocs();
      int[] ord = new int[maxDoc];
      for (int d = 0; d < maxDoc; d++) {
        ord[d] = ids != null && ids.advanceExact(d) ? ids.ordValue() : -1;
      }
      int childrenSinceParent = 0;
      for (int d = 0; d < maxDoc; d++) {
        if (live != null && !live.get(d)) {
          continue;
        }
        if (parents.get(d)) {
          if (childrenSinceParent == 0) {
            bad++;
            example = example == null ? "parent doc " + d + " has no image child" : example;
          }
          childrenSinceParent = 0;
          continue;
        }
        childrenSinceParent++;
        int parent = d + 1 < maxDoc ? parents.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS;
        if (parent == DocIdSetIterator.NO_MORE_DOCS || ord[parent] != ord[d]) {
          bad++;
          example =
              example == null ? "image doc " + d + " is not followed by its product" : example;
        }
      }
    }
    if (bad > 0) {
      problems.add(bad + " block structure problems, e.g. " + example);
    }
  }

  private double recall(DirectoryReader reader, VectorFormat format) throws IOException {
    List<float[]> sample = sampleVectors(reader, 2 * queries);
    if (sample.isEmpty()) {
      return 1;
    }
    VectorSimilarityFunction sim = similarity(reader);
    Random rnd = new Random(seed);
    float[][] qs = new float[queries][];
    for (int i = 0; i < queries; i++) {
      float[] a = sample.get(rnd.nextInt(sample.size()));
      float[] b = sample.get(rnd.nextInt(sample.size()));
      float[] q = new float[a.length];
      for (int d = 0; d < q.length; d++) {
        q[d] = a[d] + b[d];
      }
      qs[i] = VectorUtil.l2normalize(q, false);
    }
    List<Set<Integer>> exact = exactTopK(reader, qs, sim);
    IndexSearcher searcher = new IndexSearcher(reader);
    double sum = 0;
    for (int i = 0; i < queries; i++) {
      Query q = new KnnFloatVectorQuery(IndexSchema.VECTOR, qs[i], k * format.rescoreOversample());
      if (format.quantized()) {
        q = RescoreTopNQuery.createFullPrecisionRescorerQuery(q, qs[i], IndexSchema.VECTOR, k);
      }
      Set<Integer> got = new HashSet<>();
      for (ScoreDoc sd : searcher.search(q, k).scoreDocs) {
        got.add(sd.doc);
      }
      got.retainAll(exact.get(i));
      sum += got.size() / (double) Math.min(k, Math.max(1, exact.get(i).size()));
    }
    return sum / queries;
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

  private List<float[]> sampleVectors(DirectoryReader reader, int n) throws IOException {
    Random rnd = new Random(seed ^ 0x5DEECE66DL);
    List<float[]> out = new ArrayList<>();
    long total = 0;
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      total += v == null ? 0 : v.size();
    }
    double p = total == 0 ? 0 : Math.min(1, n * 2.0 / total);
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (v == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = v.iterator();
      while (it.nextDoc() != DocIdSetIterator.NO_MORE_DOCS && out.size() < n) {
        if (rnd.nextDouble() < p) {
          out.add(v.vectorValue(it.index()).clone());
        }
      }
    }
    return out;
  }

  /** Brute force: one pass over every live vector, scoring all queries at once. */
  private List<Set<Integer>> exactTopK(
      DirectoryReader reader, float[][] qs, VectorSimilarityFunction sim) throws IOException {
    List<PriorityQueue<ScoreDoc>> heaps = new ArrayList<>();
    for (int i = 0; i < qs.length; i++) {
      heaps.add(new PriorityQueue<>((a, b) -> Float.compare(a.score, b.score)));
    }
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (v == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      KnnVectorValues.DocIndexIterator it = v.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live != null && !live.get(d)) {
          continue;
        }
        float[] vec = v.vectorValue(it.index());
        for (int i = 0; i < qs.length; i++) {
          float s = sim.compare(qs[i], vec);
          PriorityQueue<ScoreDoc> h = heaps.get(i);
          if (h.size() < k) {
            h.add(new ScoreDoc(leaf.docBase + d, s));
          } else if (s > h.peek().score) {
            h.poll();
            h.add(new ScoreDoc(leaf.docBase + d, s));
          }
        }
      }
    }
    List<Set<Integer>> out = new ArrayList<>();
    for (PriorityQueue<ScoreDoc> h : heaps) {
      Set<Integer> s = new HashSet<>();
      h.forEach(sd -> s.add(sd.doc));
      out.add(s);
    }
    return out;
  }
}
