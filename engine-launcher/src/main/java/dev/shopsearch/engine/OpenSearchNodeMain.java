package dev.shopsearch.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.opensearch.Version;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.Node;
import org.opensearch.plugins.PluginInfo;

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

  /** Node with the plugins given explicitly (they are on the classpath, not in a plugins dir). */
  static final class ClasspathPluginNode extends Node {
    ClasspathPluginNode(Environment environment, Collection<PluginInfo> plugins) {
      super(environment, plugins, true);
    }
  }

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
    LogConfigurator.registerErrorListener();
    LogConfigurator.setNodeName(args[1]);
    LogConfigurator.configureWithoutConfig(settings);
    List<PluginInfo> plugins = new ArrayList<>();
    for (String className : PLUGIN_CLASSES) {
      String name = className.substring(className.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
      plugins.add(
          new PluginInfo(
              name,
              name,
              Version.CURRENT.toString(),
              Version.CURRENT,
              "21",
              className,
              List.of(),
              false));
    }
    Node node = new ClasspathPluginNode(new Environment(settings, home.resolve("config")), plugins);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (IOException e) {
                    System.err.println("node close failed: " + e);
                  }
                  stopped.countDown();
                }));
    node.start();
    System.out.println("shopsearch-node-started " + args[1]);
    System.out.flush();
    Thread watcher = new Thread(() -> exitOnStdinEof(System.in), "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    stopped.await();
  }

  private static void exitOnStdinEof(InputStream in) {
    try {
      while (in.read() >= 0) {
        // the parent never writes; EOF means it is gone
      }
    } catch (IOException e) {
      // treat like EOF
    }
    System.exit(0);
  }
}
