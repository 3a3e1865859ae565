package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchGenerationStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the copy an OpenSearch {@code update} (or {@code calibrate}) starts from costs: {@link
 * OpenSearchGenerationStore#copyOfCurrent} of a published generation of synthetic products ({@link
 * ClusterIndexing}, force-merged), as a {@code _clone} (the run's layout has the published shape)
 * and as a {@code _reindex} (a layout with another shard count, which cannot be cloned), each draft
 * discarded after. Both include reading the products' content hashes. Prints one JSON line per
 * copy.
 *
 * <pre>
 * java -cp "$CP" dev.shopsearch.bench.GenerationCopyTiming --work=/tmp/copy1 \
 *   --bundle=/tmp/osbench/tiny512 [--products=20000] [--format=float] [--rounds=2]
 * </pre>
 */
public final class GenerationCopyTiming {
  private GenerationCopyTiming() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> m = BenchSetup.flags(args, 0);
    Path work = Path.of(BenchSetup.required(m, "work"));
    ModelBundle bundle = ModelBundle.load(Path.of(BenchSetup.required(m, "bundle")));
    int products = Integer.parseInt(m.getOrDefault("products", "20000"));
    VectorFormat format = VectorFormat.fromKey(m.getOrDefault("format", "float"));
    int rounds = Integer.parseInt(m.getOrDefault("rounds", "2"));
    Files.createDirectories(work);
    ClusteredVectors vectors = new ClusteredVectors(bundle.manifest().dim(), 1000);
    IndexLayout published = new IndexLayout("products", 2, 1, true, 2);
    IndexLayout otherShards = new IndexLayout("products", 1, 1, true, 2);
    try (OpenSearchCluster cluster =
            OpenSearchCluster.start(ClusterConfig.defaults(2, work.resolve("cluster")));
        EngineClient client =
            EngineClient.connect(
                new ConnectionConfig(
                    cluster.httpUris(), Duration.ofSeconds(5), Duration.ofMinutes(30)))) {
      ClusterIndexing.ClusterBuild built =
          ClusterIndexing.index(
              client,
              published,
              BulkConfig.DEFAULT,
              bundle,
              vectors,
              products,
              format,
              true,
              false);
      print("build", built.index(), built.bulkSeconds() + built.mergeSeconds(), products);
      for (int round = 1; round <= rounds; round++) {
        for (IndexLayout layout : new IndexLayout[] {published, otherShards}) {
          OpenSearchGenerationStore store =
              new OpenSearchGenerationStore(client, layout, BulkConfig.DEFAULT, "bench cluster");
          long t0 = System.nanoTime();
          String name;
          try (GenerationDraft draft = store.copyOfCurrent((p, reason) -> {})) {
            name = draft.name();
            draft.counts();
          }
          double seconds = (System.nanoTime() - t0) / 1e9;
          print(layout == published ? "clone" : "reindex", name, seconds, products);
        }
      }
    }
  }

  private static void print(String step, String index, double seconds, int products) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("step", step);
    line.put("index", index);
    line.put("seconds", LoadDriver.round(seconds));
    line.put("products", products);
    System.out.println(LoadDriver.toJson(line));
  }
}
