package dev.shopsearch.engine;

import java.io.IOException;
import java.io.InputStream;
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
 * Runs one OpenSearch node inside a forked node JVM with its plugins loaded from the classpath
 * (named by class, not installed in a plugins folder), until the JVM that forked it goes away: the
 * node exits when its standard input reaches end of file. Shared by the node main classes of the
 * test harnesses ({@link OpenSearchNodeMain}, the secured node's); it uses only node APIs that the
 * served 3.x releases share.
 */
public final class ClasspathNode {
  private ClasspathNode() {}

  /** A node with the plugins given explicitly. */
  private static final class PluginNode extends Node {
    PluginNode(Environment environment, Collection<PluginInfo> plugins) {
      super(environment, plugins, true);
    }
  }

  /**
   * Configures logging, starts the node, prints {@code startedLine}, and blocks until standard
   * input closes (then the JVM exits and a shutdown hook closes the node).
   *
   * @param settings the node's settings ({@code node.name}, paths, ports, ...)
   * @param configDir the node's config folder
   * @param pluginClasses the plugins' main classes, on the classpath
   */
  public static void run(
      Settings settings, Path configDir, List<String> pluginClasses, String startedLine)
      throws Exception {
    LogConfigurator.registerErrorListener();
    LogConfigurator.setNodeName(settings.get("node.name"));
    LogConfigurator.configureWithoutConfig(settings);
    List<PluginInfo> plugins = new ArrayList<>();
    for (String className : pluginClasses) {
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
    Node node = new PluginNode(new Environment(settings, configDir), plugins);
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
    System.out.println(startedLine);
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
