package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortedKeys;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one page of a price sort costs on OpenSearch: the engine's sorted page ({@code
 * OpenSearchIndexView.sortedTop}) against the earlier path, every product's price read from its
 * {@code _source} and a bounded heap in the service ({@link SortedKeys#select} over {@code
 * sortValues}). Synthetic products with a text vector ({@link ClusterIndexing}, segment
 * replication: every vector in the stored source), match sets of the first products of a kNN
 * window, page 1 (21 products); the two paths alternate, round after round. Prints one JSON line
 * per match-set size: median and range of the milliseconds per page of each path, and whether both
 * gave the same page.
 *
 * <pre>
 * java -cp "$CP" dev.shopsearch.bench.SortedPageTiming --work=/tmp/sortpage1 \
 *   --bundle=/tmp/osbench/tiny512 [--products=20000] [--sets=100,1000,5000] [--rounds=15]
 * </pre>
 */
public final class SortedPageTiming {
  private SortedPageTiming() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> m = BenchSetup.flags(args, 0);
    Path work = Path.of(BenchSetup.required(m, "work"));
    ModelBundle bundle = ModelBundle.load(Path.of(BenchSetup.required(m, "bundle")));
    int products = Integer.parseInt(m.getOrDefault("products", "20000"));
    int rounds = Integer.parseInt(m.getOrDefault("rounds", "15"));
    int[] sets =
        Arrays.stream(m.getOrDefault("sets", "100,1000,5000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int page = 21;
    Files.createDirectories(work);
    ClusteredVectors vectors = new ClusteredVectors(bundle.manifest().dim(), 1000);
    IndexLayout layout = new IndexLayout("products", 2, 1, true, 2);
    try (OpenSearchCluster cluster =
            OpenSearchCluster.start(ClusterConfig.defaults(2, work.resolve("cluster")));
        EngineClient client =
            EngineClient.connect(
                new ConnectionConfig(
                    cluster.httpUris(), Duration.ofSeconds(5), Duration.ofMinutes(30)))) {
      ClusterIndexing.index(
          client,
          layout,
          BulkConfig.DEFAULT,
          bundle,
          vectors,
          products,
          VectorFormat.FLOAT,
          true,
          true);
      OpenSearchBackend backend =
          new OpenSearchBackend(client, new Generations(client, layout), meta -> {});
      for (int size : sets) {
        try (ProductIndexView view = backend.acquire()) {
          int[] window =
              view.knn(vectors.query(11, 0), ProductFilters.NONE, null, Math.max(size, 10)).keys();
          int[] keys = Arrays.copyOf(window, Math.min(size, window.length));
          double[] engine = new double[rounds];
          double[] heap = new double[rounds];
          boolean same = true;
          for (int r = -2; r < rounds; r++) { // two warm-up rounds
            long t0 = System.nanoTime();
            SortedKeys a = view.sortedTop(keys, SortField.PRICE, false, null, page);
            long t1 = System.nanoTime();
            SortedKeys b =
                SortedKeys.select(keys, view.sortValues(keys, SortField.PRICE), false, null, page);
            long t2 = System.nanoTime();
            same &= a.equals(b);
            if (r >= 0) {
              engine[r] = (t1 - t0) / 1e6;
              heap[r] = (t2 - t1) / 1e6;
            }
          }
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("matchSet", keys.length);
          line.put("page", page);
          line.put("engineSortMs", summary(engine));
          line.put("sourceHeapMs", summary(heap));
          line.put("samePage", same);
          System.out.println(LoadDriver.toJson(line));
        }
      }
    }
  }

  private static Map<String, Object> summary(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("median", LoadDriver.round(s[s.length / 2]));
    out.put("min", LoadDriver.round(s[0]));
    out.put("max", LoadDriver.round(s[s.length - 1]));
    return out;
  }
}
