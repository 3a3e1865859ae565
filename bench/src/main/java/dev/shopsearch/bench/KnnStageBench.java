package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.index.VectorFormat;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * The embedded kNN stage against hnswlib on the same vectors (docs/benchmarks.md, "Embedded kNN vs
 * hnswlib"). Three steps:
 *
 * <pre>
 * KnnStageBench export --out=/tmp/knn/data.bin [--products=200000 --dim=512 --clusters=1000
 *     --queries=1000 --truth=100 --threads=2]
 *   the {@link ClusteredVectors} of {@code BenchSetup index} plus queries from the same clusters
 *   (not indexed) and their exact top-{@code truth} neighbours (dot product = cosine on unit
 *   vectors), as one little-endian file that bench/hnswlib/knn-bench.js reads too:
 *   int magic 'KNN1', n, dim, queries, truth; float[n*dim]; float[queries*dim]; int[queries*truth]
 * KnnStageBench index --data=... --out=/tmp/knn/int7 --format=int7 [--similarity=cosine --threads=2]
 *   the service's index shape (product + image child blocks, {@link BenchSetup#addProducts}), the
 *   indexer's codec and HNSW defaults, force-merged to one segment as a published generation is
 * KnnStageBench search --data=... --index=/tmp/knn/int7 --format=int7 --candidates=10,20,40
 *     [--window=10 --rescore=auto --set=tune|holdout|all --rounds=3 --k=10]
 *   single-threaded: per query {@link ProductKnn#query} (diversified children, rescored for
 *   quantised formats) then {@code searcher.search(q, window)}, timed together, in wall-clock and
 *   in the thread's CPU time (which a loaded machine does not inflate); recall@k of the
 *   first k products against the exact neighbours. Queries: the first half is "tune", the second
 *   "holdout".
 * </pre>
 */
public final class KnnStageBench {
  static final int MAGIC = 0x314E4E4B; // "KNN1" little-endian

  private KnnStageBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: KnnStageBench export|index|search --name=value ...");
      System.exit(2);
    }
    Map<String, String> m = BenchSetup.flags(args, 1);
    switch (args[0]) {
      case "export" -> export(m);
      case "index" -> index(m);
      case "search" -> search(m);
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /** The exported vectors, queries and exact neighbours. */
  record Data(int n, int dim, float[][] queries, int[][] truth) {}

  static void export(Map<String, String> m) throws Exception {
    Path out = Path.of(BenchSetup.required(m, "out"));
    int products = Integer.parseInt(m.getOrDefault("products", "200000"));
    int dim = Integer.parseInt(m.getOrDefault("dim", "512"));
    int clusters = Integer.parseInt(m.getOrDefault("clusters", "1000"));
    int nq = Integer.parseInt(m.getOrDefault("queries", "1000"));
    int truthK = Integer.parseInt(m.getOrDefault("truth", "100"));
    int threads = Integer.parseInt(m.getOrDefault("threads", "2"));
    long t0 = System.nanoTime();
    ClusteredVectors vectors = new ClusteredVectors(dim, clusters);
    float[][] base = new float[products][];
    for (int i = 0; i < products; i++) {
      base[i] = vectors.vector(i);
    }
    float[][] queries = new float[nq][];
    for (int q = 0; q < nq; q++) {
      queries[q] = vectors.vector(products + q);
    }
    int[][] truth = exact(base, queries, truthK, threads);
    Files.createDirectories(out.toAbsolutePath().getParent());
    try (OutputStream os = Files.newOutputStream(out);
        DataOutputStream o = new DataOutputStream(new BufferedOutputStream(os, 1 << 20))) {
      ByteBuffer header = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
      header.putInt(MAGIC).putInt(products).putInt(dim).putInt(nq).putInt(truthK);
      o.write(header.array());
      ByteBuffer row =
          ByteBuffer.allocate(4 * Math.max(dim, truthK)).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] v : base) {
        writeFloats(o, row, v);
      }
      for (float[] v : queries) {
        writeFloats(o, row, v);
      }
      for (int[] t : truth) {
        row.clear();
        for (int x : t) {
          row.putInt(x);
        }
        o.write(row.array(), 0, row.position());
      }
    }
    System.out.printf(
        Locale.ROOT,
        "{\"data\":\"%s\",\"products\":%d,\"dim\":%d,\"clusters\":%d,\"queries\":%d,\"truth\":%d,"
            + "\"seconds\":%.1f}%n",
        out,
        products,
        dim,
        clusters,
        nq,
        truthK,
        (System.nanoTime() - t0) / 1e9);
  }

  private static void writeFloats(DataOutputStream o, ByteBuffer row, float[] v)
      throws IOException {
    row.clear();
    for (float x : v) {
      row.putFloat(x);
    }
    o.write(row.array(), 0, row.position());
  }

  /** Exact top-k by dot product (ids best first), queries split over {@code threads}. */
  static int[][] exact(float[][] base, float[][] queries, int k, int threads) throws Exception {
    int[][] out = new int[queries.length][];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        fs.add(
            pool.submit(
                () -> {
                  for (int q = first; q < queries.length; q += threads) {
                    out[q] = exactOne(base, queries[q], k);
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return out;
  }

  static int[] exactOne(float[][] base, float[] query, int k) {
    PriorityQueue<float[]> heap = new PriorityQueue<>((a, b) -> Float.compare(a[0], b[0]));
    for (int i = 0; i < base.length; i++) {
      float s = VectorUtil.dotProduct(base[i], query);
      if (heap.size() < k) {
        heap.add(new float[] {s, i});
      } else if (s > heap.peek()[0]) {
        heap.poll();
        heap.add(new float[] {s, i});
      }
    }
    int[] ids = new int[heap.size()];
    for (int j = ids.length - 1; j >= 0; j--) {
      ids[j] = (int) heap.poll()[1];
    }
    return ids;
  }

  static Data read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(h, 0);
      h.flip();
      if (h.getInt() != MAGIC) {
        throw new IllegalArgumentException(file + " is not a KnnStageBench export (magic KNN1)");
      }
      int n = h.getInt();
      int dim = h.getInt();
      int nq = h.getInt();
      int truthK = h.getInt();
      long queriesAt = 20L + 4L * n * dim;
      ByteBuffer q =
          ch.map(FileChannel.MapMode.READ_ONLY, queriesAt, 4L * nq * dim + 4L * nq * truthK)
              .order(ByteOrder.LITTLE_ENDIAN);
      float[][] queries = new float[nq][dim];
      for (float[] v : queries) {
        q.asFloatBuffer().get(v);
        q.position(q.position() + 4 * dim);
      }
      int[][] truth = new int[nq][truthK];
      for (int[] t : truth) {
        q.asIntBuffer().get(t);
        q.position(q.position() + 4 * truthK);
      }
      return new Data(n, dim, queries, truth);
    }
  }

  static void index(Map<String, String> m) throws Exception {
    Path data = Path.of(BenchSetup.required(m, "data"));
    Path out = Path.of(BenchSetup.required(m, "out"));
    VectorFormat format = VectorFormat.fromKey(BenchSetup.required(m, "format"));
    int clusters = Integer.parseInt(m.getOrDefault("clusters", "1000"));
    int threads = Integer.parseInt(m.getOrDefault("threads", "2"));
    Similarity similarity = similarity(m.getOrDefault("similarity", "cosine"));
    Data d = read(data);
    ClusteredVectors vectors = new ClusteredVectors(d.dim(), clusters);
    if (!Arrays.equals(vectors.vector(d.n()), d.queries()[0])) {
      throw new IllegalArgumentException(
          "--clusters=" + clusters + " does not reproduce the vectors of " + data);
    }
    long t0 = System.nanoTime();
    try (FSDirectory dir = FSDirectory.open(out);
        IndexWriter w = new IndexWriter(dir, BenchSetup.writerConfig(format))) {
      BenchSetup.addProducts(w, new ProductDocuments(d.dim(), similarity), vectors, d.n(), threads);
      long built = System.nanoTime();
      w.forceMerge(1);
      w.commit();
      System.out.printf(
          Locale.ROOT,
          "{\"index\":\"%s\",\"format\":\"%s\",\"similarity\":\"%s\",\"products\":%d,"
              + "\"buildSeconds\":%.1f,\"mergeSeconds\":%.1f}%n",
          out,
          format.key(),
          similarity,
          d.n(),
          (built - t0) / 1e9,
          (System.nanoTime() - built) / 1e9);
    }
  }

  private static Similarity similarity(String s) {
    return switch (s) {
      case "cosine" -> Similarity.COSINE;
      case "dot" -> Similarity.DOT_PRODUCT;
      default ->
          throw new IllegalArgumentException("--similarity must be cosine or dot; got '" + s + "'");
    };
  }

  static void search(Map<String, String> m) throws Exception {
    Data d = read(Path.of(BenchSetup.required(m, "data")));
    Path indexDir = Path.of(BenchSetup.required(m, "index"));
    VectorFormat format = VectorFormat.fromKey(BenchSetup.required(m, "format"));
    int k = Integer.parseInt(m.getOrDefault("k", "10"));
    int window = Integer.parseInt(m.getOrDefault("window", String.valueOf(k)));
    int rounds = Integer.parseInt(m.getOrDefault("rounds", "3"));
    String rescoreArg = m.getOrDefault("rescore", "auto");
    boolean rescore =
        rescoreArg.equals("auto") ? format.quantized() : Boolean.parseBoolean(rescoreArg);
    String set = m.getOrDefault("set", "tune");
    float[][] queries = querySet(d, set);
    int[][] truth = truthSet(d, set);
    int[] candidates =
        Arrays.stream(m.getOrDefault("candidates", "10,20,40,80").split(","))
            .mapToInt(s -> Integer.parseInt(s.trim()))
            .toArray();
    if (k > window || k > d.truth()[0].length) {
      throw new IllegalArgumentException(
          "--k must be <= --window and <= the exported truth size; k=" + k);
    }
    try (FSDirectory dir = FSDirectory.open(indexDir);
        DirectoryReader reader = DirectoryReader.open(dir)) {
      if (reader.leaves().size() != 1) {
        System.out.println("# warning: " + reader.leaves().size() + " segments (expected 1)");
      }
      IndexSearcher searcher = new IndexSearcher(reader);
      BitSetProducer parents =
          new QueryBitSetProducer(
              new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
      int[] ordinal = ordinals(reader);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      for (int c : candidates) {
        int cand = Math.max(c, window);
        for (int round = 0; round < rounds; round++) {
          long[] nanos = new long[queries.length];
          long[] cpu = new long[queries.length];
          double recall = 0;
          for (int qi = 0; qi < queries.length; qi++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            Query q = ProductKnn.query(queries[qi], null, window, cand, rescore, parents);
            TopDocs top = searcher.search(q, window);
            nanos[qi] = System.nanoTime() - t0;
            cpu[qi] = threads.getCurrentThreadCpuTime() - c0;
            recall += recall(top, ordinal, truth[qi], k);
          }
          Arrays.sort(nanos);
          Arrays.sort(cpu);
          System.out.printf(
              Locale.ROOT,
              "{\"engine\":\"lucene\",\"format\":\"%s\",\"rescore\":%b,\"set\":\"%s\",\"queries\":%d,"
                  + "\"window\":%d,\"candidates\":%d,\"round\":%d,\"meanMs\":%.3f,\"p50Ms\":%.3f,"
                  + "\"p99Ms\":%.3f,\"cpuMeanMs\":%.3f,\"cpuP50Ms\":%.3f,\"cpuP99Ms\":%.3f,"
                  + "\"recallAt%d\":%.4f}%n",
              format.key(),
              rescore,
              set,
              queries.length,
              window,
              cand,
              round,
              Arrays.stream(nanos).average().orElse(0) / 1e6,
              nanos[nanos.length / 2] / 1e6,
              nanos[(int) Math.ceil(nanos.length * 0.99) - 1] / 1e6,
              Arrays.stream(cpu).average().orElse(0) / 1e6,
              cpu[cpu.length / 2] / 1e6,
              cpu[(int) Math.ceil(cpu.length * 0.99) - 1] / 1e6,
              k,
              recall / queries.length);
        }
      }
    }
  }

  static float[][] querySet(Data d, String set) {
    int half = d.queries().length / 2;
    return switch (set) {
      case "tune" -> Arrays.copyOfRange(d.queries(), 0, half);
      case "holdout" -> Arrays.copyOfRange(d.queries(), half, d.queries().length);
      case "all" -> d.queries();
      default ->
          throw new IllegalArgumentException(
              "--set must be tune, holdout or all; got '" + set + "'");
    };
  }

  static int[][] truthSet(Data d, String set) {
    int half = d.truth().length / 2;
    return switch (set) {
      case "tune" -> Arrays.copyOfRange(d.truth(), 0, half);
      case "holdout" -> Arrays.copyOfRange(d.truth(), half, d.truth().length);
      default -> d.truth();
    };
  }

  /** Global doc id to vector ordinal ({@code b<i>} of the product id), -1 for none. */
  private static int[] ordinals(DirectoryReader reader) throws IOException {
    int[] out = new int[reader.maxDoc()];
    Arrays.fill(out, -1);
    for (LeafReaderContext leaf : reader.leaves()) {
      SortedDocValues ids = leaf.reader().getSortedDocValues(IndexSchema.PRODUCT_ID);
      if (ids == null) {
        continue;
      }
      for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
        String id = ids.lookupOrd(ids.ordValue()).utf8ToString();
        out[leaf.docBase + doc] = Integer.parseInt(id.substring(1));
      }
    }
    return out;
  }

  private static double recall(TopDocs top, int[] ordinal, int[] truth, int k) {
    int hits = 0;
    int n = Math.min(k, top.scoreDocs.length);
    for (int i = 0; i < n; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      int id = ordinal[sd.doc];
      for (int j = 0; j < k; j++) {
        if (truth[j] == id) {
          hits++;
          break;
        }
      }
    }
    return hits / (double) k;
  }
}
