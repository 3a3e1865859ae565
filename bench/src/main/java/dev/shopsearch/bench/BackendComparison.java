package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.engine.ClusterConfig;
import dev.shopsearch.engine.OpenSearchCluster;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.ConnectionConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.KnnRescore;
import dev.shopsearch.opensearch.OpenSearchSearcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The embedded backend against a 2-node OpenSearch cluster, in one run, on one synthetic catalog
 * and its vectors ({@link ClusteredVectors}, one image per product): indexing throughput (embedded
 * build + force-merge; cluster bulk through the indexer's {@code OpenSearchGenerationStore} +
 * force-merge), bytes per product on disk, recall@10 of each backend's kNN against exact brute
 * force at the service's candidates, then the real service jar started twice — {@code
 * shopsearch.backend=lucene} over the embedded generation and {@code opensearch} over the cluster's
 * alias — driven over HTTP by {@link LoadDriver}'s open loop ({@code mode=vector}, unique queries,
 * cache off) at each rate, backends alternating, and the resident memory of every JVM. Prints one
 * JSON line per measurement and a summary line last.
 *
 * <pre>
 * java -cp "$CP" dev.shopsearch.bench.BackendComparison --work=/tmp/osbench/run1 \
 *   --bundle=/tmp/osbench/tiny512 [--service-jar=service/target/shopsearch-service-0.1.0-SNAPSHOT.jar]
 *   [--products=50000] [--format=int7] [--candidates=100] [--recall-candidates=100,200,400]
 *   [--queries=200] [--rates=50,100|none]
 *   [--seconds=20] [--warmup=3] [--rounds=1] [--shards=2] [--replicas=1] [--nodes=2]
 * </pre>
 *
 * <p>{@code --recall-candidates} measures recall at several candidate windows (the services use
 * {@code --candidates}); {@code --rates=none} stops after the recall step (no services).
 *
 * <p>Every process runs on this machine: the cluster's nodes, the services and the load driver
 * share its cores.
 */
public final class BackendComparison {
  private BackendComparison() {}

  /** Settings of one comparison (see the class comment for the flags and defaults). */
  record Settings(
      Path work,
      Path bundle,
      Path serviceJar,
      int products,
      int clusters,
      VectorFormat format,
      int candidates,
      List<Integer> recallCandidates,
      int queries,
      List<Double> rates,
      int seconds,
      int warmup,
      int rounds,
      int nodes,
      int shards,
      int replicas,
      boolean merge,
      String serviceHeap) {

    static Settings parse(String[] args) {
      Map<String, String> m = BenchSetup.flags(args, 0);
      Settings s =
          new Settings(
              Path.of(BenchSetup.required(m, "work")),
              Path.of(BenchSetup.required(m, "bundle")),
              Path.of(
                  m.getOrDefault(
                      "service-jar", "service/target/shopsearch-service-0.1.0-SNAPSHOT.jar")),
              Integer.parseInt(m.getOrDefault("products", "50000")),
              Integer.parseInt(m.getOrDefault("clusters", "1000")),
              VectorFormat.fromKey(m.getOrDefault("format", "int7")),
              Integer.parseInt(m.getOrDefault("candidates", "100")),
              Stream.of(
                      m.getOrDefault("recall-candidates", m.getOrDefault("candidates", "100"))
                          .split(","))
                  .map(String::trim)
                  .map(Integer::parseInt)
                  .toList(),
              Integer.parseInt(m.getOrDefault("queries", "200")),
              Stream.of(m.getOrDefault("rates", "50,100").split(","))
                  .map(String::trim)
                  .filter(r -> !r.equals("none"))
                  .map(Double::parseDouble)
                  .toList(),
              Integer.parseInt(m.getOrDefault("seconds", "20")),
              Integer.parseInt(m.getOrDefault("warmup", "3")),
              Integer.parseInt(m.getOrDefault("rounds", "1")),
              Integer.parseInt(m.getOrDefault("nodes", "2")),
              Integer.parseInt(m.getOrDefault("shards", "2")),
              Integer.parseInt(m.getOrDefault("replicas", "1")),
              Boolean.parseBoolean(m.getOrDefault("merge", "true")),
              m.getOrDefault("service-heap", "1g"));
      s.check();
      return s;
    }

    private void check() {
      require(products >= 10, "--products must be >= 10; got " + products);
      require(queries >= 1, "--queries must be >= 1; got " + queries);
      require(
          candidates >= 10 && candidates <= OpenSearchSearcher.MAX_CANDIDATES,
          "--candidates must be in [10, "
              + OpenSearchSearcher.MAX_CANDIDATES
              + "]; got "
              + candidates);
      require(rounds >= 1 && rounds <= 20, "--rounds must be in [1, 20]; got " + rounds);
      for (int c : recallCandidates) {
        require(
            c >= 10 && c <= OpenSearchSearcher.MAX_CANDIDATES,
            "--recall-candidates must each be in [10, "
                + OpenSearchSearcher.MAX_CANDIDATES
                + "]; got "
                + c);
      }
      require(replicas < nodes, "--replicas must be < --nodes (" + nodes + "); got " + replicas);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Object> summary = run(Settings.parse(args), line -> System.out.println(line));
    // the load steps were printed one per line; the summary line counts them
    Object load = summary.remove("load");
    summary.put("loadSteps", load instanceof List<?> steps ? steps.size() : 0);
    System.out.println(LoadDriver.toJson(summary));
  }

  /**
   * Runs the whole comparison; each measurement goes to {@code out} as a JSON line when taken.
   *
   * @return the summary (also what the smoke test checks)
   */
  static Map<String, Object> run(Settings s, Consumer<String> out) throws Exception {
    if (Files.exists(s.work()) && !isEmptyDir(s.work())) {
      throw new IllegalArgumentException("--work must be a new or empty folder; got " + s.work());
    }
    Files.createDirectories(s.work());
    ModelBundle bundle = ModelBundle.load(s.bundle());
    ClusteredVectors vectors = new ClusteredVectors(bundle.manifest().dim(), s.clusters());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("products", s.products());
    summary.put("dim", vectors.dim());
    summary.put("format", s.format().key());
    summary.put("candidates", s.candidates());
    summary.put("nproc", Runtime.getRuntime().availableProcessors());

    Path root = s.work().resolve("embedded-index");
    BenchSetup.EmbeddedBuild built =
        BenchSetup.index(bundle, root, s.products(), vectors, s.format(), 2, s.merge());
    long embeddedBytes = directorySize(built.dir());
    Map<String, Object> embedded = new LinkedHashMap<>();
    embedded.put("step", "embedded-build");
    embedded.put("buildSeconds", LoadDriver.round(built.buildSeconds()));
    embedded.put("mergeSeconds", LoadDriver.round(built.mergeSeconds()));
    embedded.put(
        "productsPerSecond",
        LoadDriver.round(s.products() / (built.buildSeconds() + built.mergeSeconds())));
    embedded.put("bytes", embeddedBytes);
    embedded.put("bytesPerProduct", LoadDriver.round((double) embeddedBytes / s.products()));
    out.accept(LoadDriver.toJson(embedded));
    summary.put("embedded", embedded);

    try (OpenSearchCluster cluster =
        OpenSearchCluster.start(ClusterConfig.defaults(s.nodes(), s.work().resolve("cluster")))) {
      List<Long> nodePids = cluster.nodes().stream().map(n -> n.process().pid()).toList();
      summary.put("nodeRssIdleMb", rssMb(nodePids));
      IndexLayout layout = new IndexLayout("products", s.shards(), s.replicas(), true, 2);
      ConnectionConfig connection =
          new ConnectionConfig(cluster.httpUris(), Duration.ofSeconds(5), Duration.ofMinutes(30));
      try (EngineClient client = EngineClient.connect(connection)) {
        ClusterIndexing.ClusterBuild cb =
            ClusterIndexing.index(
                client,
                layout,
                BulkConfig.DEFAULT,
                bundle,
                vectors,
                s.products(),
                s.format(),
                s.merge(),
                false);
        ClusterIndexing.StoreSize size = ClusterIndexing.storeSize(client, cb.index());
        Map<String, Object> os = new LinkedHashMap<>();
        os.put("step", "opensearch-bulk");
        os.put("shards", s.shards());
        os.put("replicas", s.replicas());
        os.put("bulkSeconds", LoadDriver.round(cb.bulkSeconds()));
        os.put("mergeSeconds", LoadDriver.round(cb.mergeSeconds()));
        os.put(
            "productsPerSecond",
            LoadDriver.round(s.products() / (cb.bulkSeconds() + cb.mergeSeconds())));
        os.put("primaryBytes", size.primaryBytes());
        os.put("totalBytes", size.totalBytes());
        os.put("segments", size.segments());
        os.put(
            "primaryBytesPerProduct",
            LoadDriver.round((double) size.primaryBytes() / s.products()));
        os.put("totalBytesPerProduct", LoadDriver.round((double) size.totalBytes() / s.products()));
        os.put("nodeRssAfterIndexingMb", rssMb(nodePids));
        out.accept(LoadDriver.toJson(os));
        summary.put("opensearch", os);

        KnnRescore rescore = KnnRescore.of(new Generations(client, layout).metadata(cb.index()));
        summary.put("recall", recall(s, vectors, root, client, layout.alias(), rescore, out));
        if (!s.rates().isEmpty()) {
          summary.put("load", load(s, root, cluster.httpUris(), layout.alias(), nodePids, out));
        }
      }
    }
    return summary;
  }

  private static Map<String, Object> recall(
      Settings s,
      ClusteredVectors vectors,
      Path root,
      EngineClient client,
      String alias,
      KnnRescore rescore,
      Consumer<String> out)
      throws IOException {
    List<float[]> queries = new ArrayList<>();
    for (int q = 0; q < s.queries(); q++) {
      queries.add(vectors.query(11, q));
    }
    KnnRecall recall = new KnnRecall(vectors, s.products(), queries, 10);
    OpenSearchSearcher searcher = new OpenSearchSearcher(client, alias, rescore);
    Map<String, Object> first = null;
    for (int c : s.recallCandidates()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("step", "recall@10");
      r.put("queries", s.queries());
      r.put("querySeed", 11);
      r.put("candidates", c);
      KnnRecall.Result embedded;
      try (OpenIndex index = new IndexGenerations(root).openCurrent()) {
        recall.embedded(index, c); // warm-up: the same queries once, not counted
        embedded = recall.embedded(index, c);
      }
      recall.cluster(searcher, c);
      KnnRecall.Result cluster = recall.cluster(searcher, c);
      r.put("embedded", LoadDriver.round(embedded.recall() * 10_000) / 10_000);
      r.put("opensearch", LoadDriver.round(cluster.recall() * 10_000) / 10_000);
      r.put("embeddedMeanMs", LoadDriver.round(embedded.meanMs()));
      r.put("opensearchMeanMs", LoadDriver.round(cluster.meanMs()));
      out.accept(LoadDriver.toJson(r));
      first = first == null ? r : first;
    }
    return first;
  }

  private static List<Object> load(
      Settings s,
      Path root,
      List<URI> hosts,
      String alias,
      List<Long> nodePids,
      Consumer<String> out)
      throws Exception {
    List<String> common =
        List.of(
            "--shopsearch.model.bundle-dir=" + s.bundle().toAbsolutePath(),
            "--shopsearch.model.intra-op-threads=1",
            "--shopsearch.overload.max-encode-concurrency=2",
            "--shopsearch.overload.deadline=1s",
            "--shopsearch.cache.enabled=false",
            "--shopsearch.search.num-candidates=" + s.candidates());
    List<String> lucene = new ArrayList<>(common);
    lucene.add("--shopsearch.index.root=" + root.toAbsolutePath());
    List<String> opensearch = new ArrayList<>(common);
    opensearch.add("--shopsearch.backend=opensearch");
    opensearch.add(
        "--shopsearch.opensearch.hosts="
            + hosts.stream().map(URI::toString).collect(Collectors.joining(",")));
    opensearch.add("--shopsearch.opensearch.alias=" + alias);
    Duration ready = Duration.ofMinutes(5);
    List<Object> results = new ArrayList<>();
    try (ServiceProcess embeddedService =
            ServiceProcess.start(
                s.serviceJar(),
                s.serviceHeap(),
                lucene,
                s.work().resolve("service-lucene.log"),
                ready);
        ServiceProcess clusterService =
            ServiceProcess.start(
                s.serviceJar(),
                s.serviceHeap(),
                opensearch,
                s.work().resolve("service-opensearch.log"),
                ready)) {
      Map<String, ServiceProcess> services = new LinkedHashMap<>();
      services.put("embedded", embeddedService);
      services.put("opensearch", clusterService);
      for (int round = 1; round <= s.rounds(); round++) {
        for (double rate : s.rates()) {
          for (Map.Entry<String, ServiceProcess> e : services.entrySet()) {
            LoadDriver.Options o =
                LoadDriver.openLoop(
                    e.getValue().base(), rate, s.seconds(), s.warmup(), "vector", true);
            LoadDriver.warmUp(o);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("step", "load");
            r.put("backend", e.getKey());
            r.put("round", round);
            r.putAll(LoadDriver.run(o, ""));
            r.put("serviceRssMb", rssMb(List.of(e.getValue().pid())));
            if (e.getKey().equals("opensearch")) {
              r.put("nodeRssMb", rssMb(nodePids));
            }
            out.accept(LoadDriver.toJson(r));
            results.add(r);
          }
        }
      }
    }
    return results;
  }

  /** Resident memory of each process in MB, joined by {@code +} (a string, for the JSON line). */
  private static String rssMb(List<Long> pids) throws IOException {
    List<String> parts = new ArrayList<>();
    for (long pid : pids) {
      parts.add(Long.toString(ProcessMemory.rssBytes(pid) / (1024 * 1024)));
    }
    return String.join("+", parts);
  }

  static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      long sum = 0;
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        sum += Files.size(p);
      }
      return sum;
    }
  }

  private static boolean isEmptyDir(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return false;
    }
    try (Stream<Path> s = Files.list(p)) {
      return s.findAny().isEmpty();
    }
  }
}
