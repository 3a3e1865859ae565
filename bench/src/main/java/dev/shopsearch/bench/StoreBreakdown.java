package dev.shopsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.IndexLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Where the bytes of a generation go, by Lucene file kind, on both backends: the same synthetic
 * products (one image each, {@link ClusteredVectors}) built as an embedded generation ({@link
 * BenchSetup#index}) and as a cluster generation ({@link ClusterIndexing}), both force-merged; the
 * files of every shard copy are read from the nodes' data directories while the cluster runs.
 * Prints one JSON line per backend: bytes per product by file extension ({@code vec} vectors,
 * {@code vex} HNSW graph, {@code veq} quantised vectors, {@code fdt} stored fields / {@code
 * _source}, {@code tim}/{@code doc}/{@code pos} postings, {@code dvd} doc values, {@code nvd}
 * norms, {@code kdd} points, ...), for the cluster per copy.
 *
 * <pre>
 * java -cp "$CP" dev.shopsearch.bench.StoreBreakdown --work=/tmp/bytes1 \
 *   --bundle=/tmp/osbench/tiny512 [--products=20000] [--format=int7] [--shards=2] [--replicas=1]
 *   [--text-vectors=false] [--replication=segment[,document]]
 * </pre>
 *
 * <p>{@code --text-vectors=true} gives each cluster product a text vector too (a flat {@code
 * knn_vector} field, beside the nested image vectors), to see which vectors the stored {@code
 * _source} keeps. {@code --replication=segment,document} builds one cluster generation per
 * replication type in the same cluster: with document replication the k-NN plugin's derived source
 * leaves the vectors out of the stored {@code _source} (the plugin turns it off under segment
 * replication). Each cluster generation also prints the seconds of its bulk load and force-merge,
 * to weigh the replicas' own indexing under document replication; a type may repeat ({@code
 * document,segment,document,segment}: the first generation of a fresh cluster pays its warm-up).
 */
public final class StoreBreakdown {
  private StoreBreakdown() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> m = BenchSetup.flags(args, 0);
    Path work = Path.of(BenchSetup.required(m, "work"));
    ModelBundle bundle = ModelBundle.load(Path.of(BenchSetup.required(m, "bundle")));
    int products = Integer.parseInt(m.getOrDefault("products", "20000"));
    VectorFormat format = VectorFormat.fromKey(m.getOrDefault("format", "int7"));
    int shards = Integer.parseInt(m.getOrDefault("shards", "2"));
    int replicas = Integer.parseInt(m.getOrDefault("replicas", "1"));
    boolean textVectors = Boolean.parseBoolean(m.getOrDefault("text-vectors", "false"));
    List<String> replications = List.of(m.getOrDefault("replication", "segment").split(","));
    for (String r : replications) {
      if (!r.equals("segment") && !r.equals("document")) {
        throw new IllegalArgumentException(
            "--replication must be segment, document or both comma-separated; got " + r);
      }
    }
    Files.createDirectories(work);
    ClusteredVectors vectors = new ClusteredVectors(bundle.manifest().dim(), 1000);
    BenchSetup.EmbeddedBuild embedded =
        BenchSetup.index(bundle, work.resolve("embedded"), products, vectors, format, 2, true);
    print("embedded", byExtension(embedded.dir()), products, 1);
    try (OpenSearchCluster cluster =
            OpenSearchCluster.start(ClusterConfig.defaults(2, work.resolve("cluster")));
        EngineClient client =
            EngineClient.connect(
                new ConnectionConfig(
                    cluster.httpUris(), Duration.ofSeconds(5), Duration.ofMinutes(30)))) {
      for (int i = 0; i < replications.size(); i++) {
        String replication = replications.get(i);
        IndexLayout layout =
            new IndexLayout(
                replication + "-" + i, shards, replicas, replication.equals("segment"), 2);
        ClusterIndexing.ClusterBuild built =
            ClusterIndexing.index(
                client,
                layout,
                BulkConfig.DEFAULT,
                bundle,
                vectors,
                products,
                format,
                true,
                textVectors);
        String backend = "opensearch-" + replication;
        print(backend, clusterFiles(client, built.index(), work), products, 1 + replicas);
        print(
            backend + "-stats",
            Map.of("store", ClusterIndexing.storeSize(client, built.index()).totalBytes()),
            products,
            1 + replicas);
        System.out.printf(
            Locale.ROOT,
            "{\"backend\":\"%s\",\"bulkSeconds\":%.1f,\"mergeSeconds\":%.1f}%n",
            backend,
            built.bulkSeconds(),
            built.mergeSeconds());
      }
    }
  }

  /** Bytes by file kind of every shard copy of {@code index}, from the nodes' data directories. */
  private static Map<String, Long> clusterFiles(EngineClient client, String index, Path work)
      throws IOException {
    JsonNode settings = client.call("GET", "/" + index + "/_settings", null);
    String uuid = settings.path(index).path("settings").path("index").path("uuid").asText();
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(work.resolve("cluster"))) {
      all.filter(Files::isRegularFile)
          .filter(p -> p.toString().contains("/indices/" + uuid + "/"))
          .filter(p -> p.getParent().getFileName().toString().equals("index"))
          .forEach(p -> files.merge(extension(p), size(p), Long::sum));
    }
    return files;
  }

  private static Map<String, Long> byExtension(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      all.filter(Files::isRegularFile).forEach(p -> out.merge(extension(p), size(p), Long::sum));
    }
    return out;
  }

  private static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? name.replaceAll("_\\d+$", "") : name.substring(dot + 1);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void print(String backend, Map<String, Long> bytes, int products, int copies) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("backend", backend);
    line.put("copies", copies);
    long total = bytes.values().stream().mapToLong(Long::longValue).sum();
    line.put("bytesPerProductPerCopy", LoadDriver.round((double) total / products / copies));
    Map<String, Object> per = new LinkedHashMap<>();
    bytes.forEach((k, v) -> per.put(k, LoadDriver.round((double) v / products / copies)));
    line.put("byExtension", per);
    System.out.println(LoadDriver.toJson(line));
  }
}
