package dev.shopsearch.indexer.bench;

import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.VectorFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Synthetic clustered unit vectors through every vector format: build and merge time, index size,
 * heap with the index open, single-threaded search latency p50/p99 and recall@k against exact
 * search, unfiltered and with a pre-filter matching {@code --filter-fraction} of the documents.
 */
@Command(
    name = "vectors",
    mixinStandardHelpOptions = true,
    description = "Vector format table: build time, size, heap, latency p50/p99, recall@k.")
final class VectorFormatBench implements Callable<Integer> {
  @Option(names = "--count", defaultValue = "100000", description = "Vectors (default: 100000).")
  int count;

  @Option(names = "--dim", defaultValue = "512")
  int dim;

  @Option(names = "--clusters", defaultValue = "1000")
  int clusters;

  @Option(names = "--spread", defaultValue = "0.05", description = "Gaussian spread per axis.")
  double spread;

  @Option(names = "--queries", defaultValue = "200")
  int queries;

  @Option(names = "-k", defaultValue = "10")
  int k;

  @Option(names = "--candidates", defaultValue = "100", description = "HNSW candidates (k').")
  int candidates;

  @Option(names = "--filter-fraction", defaultValue = "0.1")
  double filterFraction;

  @Option(names = "--formats", defaultValue = "float,int7,int4,binary", split = ",")
  List<String> formats;

  @Option(names = "--dir", description = "Scratch directory (default: a temp dir, deleted).")
  Path dir;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path scratch = dir != null ? dir : Files.createTempDirectory("shopsearch-bench-vectors");
    System.err.printf(Locale.ROOT, "generating %d x %d vectors%n", count, dim);
    // one draw: the first `count` vectors are indexed, the last `queries` (same clusters) query
    float[][] all = BenchSupport.clustered(seed, count + queries, dim, clusters, spread);
    float[][] vectors = java.util.Arrays.copyOf(all, count);
    float[][] qs = java.util.Arrays.copyOfRange(all, count, count + queries);
    int[] filterMod = {(int) Math.round(1 / filterFraction)};
    System.err.println("exact search for " + queries + " queries");
    List<Set<Integer>> exact = exact(vectors, qs, -1);
    List<Set<Integer>> exactFiltered = exact(vectors, qs, filterMod[0]);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String f : formats) {
      VectorFormat format = VectorFormat.fromKey(f);
      rows.add(run(format, vectors, qs, exact, exactFiltered, filterMod[0], scratch));
    }
    System.out.println(markdown(rows));
    return 0;
  }

  private List<Set<Integer>> exact(float[][] vectors, float[][] qs, int mod) {
    List<Set<Integer>> out = new ArrayList<>();
    for (float[] q : qs) {
      int[] best = new int[k];
      float[] score = new float[k];
      java.util.Arrays.fill(score, Float.NEGATIVE_INFINITY);
      for (int i = 0; i < vectors.length; i++) {
        if (mod > 0 && i % mod != 0) {
          continue;
        }
        float s = VectorUtil.dotProduct(q, vectors[i]);
        if (s > score[k - 1]) {
          int j = k - 1;
          while (j > 0 && score[j - 1] < s) {
            score[j] = score[j - 1];
            best[j] = best[j - 1];
            j--;
          }
          score[j] = s;
          best[j] = i;
        }
      }
      Set<Integer> set = new HashSet<>();
      for (int b : best) {
        set.add(b);
      }
      out.add(set);
    }
    return out;
  }

  private Map<String, Object> run(
      VectorFormat format,
      float[][] vectors,
      float[][] qs,
      List<Set<Integer>> exact,
      List<Set<Integer>> exactFiltered,
      int mod,
      Path scratch)
      throws IOException {
    Path path = scratch.resolve(format.key());
    System.err.println("building " + format.key());
    long t0 = System.nanoTime();
    try (FSDirectory d = FSDirectory.open(path);
        IndexWriter w =
            new IndexWriter(
                d,
                new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
                    .setRAMBufferSizeMB(512)
                    .setCodec(IndexCodecs.codec(format, HnswParams.DEFAULT)))) {
      for (int i = 0; i < vectors.length; i++) {
        Document doc = new Document();
        doc.add(new StoredField("id", i));
        doc.add(new StringField("f", i % mod == 0 ? "in" : "out", Field.Store.NO));
        doc.add(
            new KnnFloatVectorField(
                IndexSchema.VECTOR, vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(doc);
      }
      w.commit();
      double buildS = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      w.forceMerge(1);
      w.commit();
      double mergeS = (System.nanoTime() - t1) / 1e9;
      long size = 0;
      for (String file : d.listAll()) {
        size += d.fileLength(file);
      }
      long heapBefore = BenchSupport.usedHeap();
      try (DirectoryReader reader = DirectoryReader.open(d)) {
        IndexSearcher s = new IndexSearcher(reader);
        s.setQueryCache(null);
        int[] ids = new int[reader.maxDoc()];
        var stored = reader.storedFields();
        for (int doc = 0; doc < ids.length; doc++) {
          ids[doc] = stored.document(doc).getField("id").numericValue().intValue();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("format", format.key());
        row.put("vectors", vectors.length);
        row.put("buildS", buildS);
        row.put("forceMergeS", mergeS);
        row.put("sizeMB", BenchSupport.mb(size));
        search(s, ids, format, qs, exact, null, row, "");
        row.put("heapMB", BenchSupport.mb(Math.max(0, BenchSupport.usedHeap() - heapBefore)));
        search(s, ids, format, qs, exactFiltered, new TermQuery(new Term("f", "in")), row, "f_");
        System.err.println(row);
        return row;
      }
    } finally {
      if (dir == null) {
        deleteTree(path);
      }
    }
  }

  private void search(
      IndexSearcher s,
      int[] ids,
      VectorFormat format,
      float[][] qs,
      List<Set<Integer>> exact,
      Query filter,
      Map<String, Object> row,
      String prefix)
      throws IOException {
    for (int i = 0; i < Math.min(50, qs.length); i++) {
      s.search(query(format, qs[i], filter), k); // warm-up
    }
    double[] ms = new double[qs.length];
    double recall = 0;
    for (int i = 0; i < qs.length; i++) {
      long t = System.nanoTime();
      ScoreDoc[] hits = s.search(query(format, qs[i], filter), k).scoreDocs;
      ms[i] = (System.nanoTime() - t) / 1e6;
      int found = 0;
      for (ScoreDoc h : hits) {
        if (exact.get(i).contains(ids[h.doc])) {
          found++;
        }
      }
      recall += found / (double) k;
    }
    row.put(prefix + "p50ms", BenchSupport.percentile(ms, 50));
    row.put(prefix + "p99ms", BenchSupport.percentile(ms, 99));
    row.put(prefix + "recall", recall / qs.length);
  }

  private Query query(VectorFormat format, float[] q, Query filter) {
    if (!format.quantized()) {
      return new KnnFloatVectorQuery(IndexSchema.VECTOR, q, Math.max(k, candidates), filter);
    }
    int n = Math.max(k, candidates) * format.rescoreOversample() / 2;
    Query knn = new KnnFloatVectorQuery(IndexSchema.VECTOR, q, Math.max(k, n), filter);
    return RescoreTopNQuery.createFullPrecisionRescorerQuery(knn, q, IndexSchema.VECTOR, k);
  }

  private String markdown(List<Map<String, Object>> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%d x %d-d, %d clusters, k=%d, candidates=%d (x oversample/2 + rescore when"
                + " quantised), filter=%.0f%%%n%n",
            count,
            dim,
            clusters,
            k,
            candidates,
            filterFraction * 100));
    sb.append(
        "| format | build s | merge s | size MB | heap MB | p50 ms | p99 ms | recall@"
            + k
            + " | filtered p50 ms | filtered p99 ms | filtered recall@"
            + k
            + " |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.1f | %.1f | %.0f | %.0f | %.2f | %.2f | %.3f | %.2f | %.2f | %.3f |%n",
              r.get("format"),
              r.get("buildS"),
              r.get("forceMergeS"),
              r.get("sizeMB"),
              r.get("heapMB"),
              r.get("p50ms"),
              r.get("p99ms"),
              r.get("recall"),
              r.get("f_p50ms"),
              r.get("f_p99ms"),
              r.get("f_recall")));
    }
    return sb.toString();
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
