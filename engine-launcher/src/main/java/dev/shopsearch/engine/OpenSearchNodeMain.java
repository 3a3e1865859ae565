package dev.shopsearch.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.opensearch.common.settings.Settings;

/**
 * The main class of one forked OpenSearch node JVM (started by {@link OpenSearchCluster}, never
 * in-process). The plugins come from the classpath: transport-netty4, painless, analysis-common,
 * reindex and k-NN.
 *
 * <p>Arguments: {@code clusterName nodeName homeDir httpPort transportPort seedHosts
 * initialManagers}, the last two comma-separated ({@code 127.0.0.1:9300,...} and node names).
 *
 * <p>The node exits when its standard input reaches end of file, so a node never outlives the JVM
 * that forked it, even one killed with {@code kill -9}.
 */
public final class OpenSearchNodeMain {
  private static final List<String> PLUGIN_CLASSES =
      List.of(
          "org.opensearch.transport.Netty4ModulePlugin",
          "org.opensearch.painless.PainlessModulePlugin",
          "org.opensearch.analysis.common.CommonAnalysisModulePlugin",
          "org.opensearch.index.reindex.ReindexModulePlugin",
          "org.opensearch.knn.plugin.KNNPlugin");

  private OpenSearchNodeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 7) {
      throw new IllegalArgumentException(
          "expected 7 arguments (clusterName nodeName homeDir httpPort transportPort seedHosts"
              + " initialManagers); got "
              + args.length);
    }
    Path home = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(home.resolve("config"));
    Files.createDirectories(home.resolve("data"));
    Files.createDirectories(home.resolve("logs"));
    Settings settings =
        Settings.builder()
            .put("cluster.name", args[0])
            .put("node.name", args[1])
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[3])
            .put("transport.port", args[4])
            .putList("discovery.seed_hosts", List.of(args[5].split(",")))
            .putList("cluster.initial_cluster_manager_nodes", List.of(args[6].split(",")))
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("node.processors", 2)
            .build();
    ClasspathNode.run(
        settings, home.resolve("config"), PLUGIN_CLASSES, "shopsearch-node-started " + args[1]);
  }
}
