package dev.shopsearch.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster of OpenSearch node JVMs forked on 127.0.0.1 with explicit free ports, all started at
 * once. {@link #start} returns when every node has joined and the cluster is at least yellow, or
 * throws {@link EngineStartException} when the start budget runs out (after destroying what it
 * started). {@link #close} destroys every node's process tree; a JVM shutdown hook does the same if
 * the caller never closes, and each node also exits when its standard input (a pipe from this JVM)
 * reaches end of file, so nodes never outlive the test JVM.
 *
 * <p>Meant to be shared per test class ({@code @BeforeAll}/{@code @AfterAll}).
 */
public final class OpenSearchCluster implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  private final ClusterConfig config;
  private final List<Node> nodes;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One forked node. */
  public record Node(String name, int httpPort, int transportPort, Process process, Path log) {
    /** {@code http://127.0.0.1:port}. */
    public URI httpUri() {
      return URI.create("http://127.0.0.1:" + httpPort);
    }
  }

  private OpenSearchCluster(ClusterConfig config, List<Node> nodes) {
    this.config = config;
    this.nodes = List.copyOf(nodes);
    this.shutdownHook = new Thread(this::destroyAll, "opensearch-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Forks {@code config.nodes()} nodes concurrently and waits until they form a cluster.
   *
   * @throws EngineStartException naming the budget and the node logs when the cluster is not ready
   *     in time ({@link EngineStartException#timedOut()}), or a node exits first
   */
  public static OpenSearchCluster start(ClusterConfig config) {
    String classpath = EngineClasspath.of(config.engineLib());
    String clusterName = "shopsearch-test-" + ProcessHandle.current().pid();
    int n = config.nodes();
    int[] ports = freePorts(2 * n);
    List<String> seeds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seeds.add("127.0.0.1:" + ports[2 * i + 1]);
      names.add("node-" + i);
    }
    List<Node> nodes = new ArrayList<>();
    OpenSearchCluster cluster = null;
    try {
      Files.createDirectories(config.workDir());
      for (int i = 0; i < n; i++) {
        Path home = config.workDir().resolve(names.get(i));
        Path log = config.workDir().resolve(names.get(i) + ".log");
        List<String> cmd =
            List.of(
                javaExecutable(),
                "-Xms" + config.heap(),
                "-Xmx" + config.heap(),
                "--add-modules",
                "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classpath,
                OpenSearchNodeMain.class.getName(),
                clusterName,
                names.get(i),
                home.toString(),
                Integer.toString(ports[2 * i]),
                Integer.toString(ports[2 * i + 1]),
                String.join(",", seeds),
                String.join(",", names));
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        nodes.add(new Node(names.get(i), ports[2 * i], ports[2 * i + 1], p, log));
      }
      cluster = new OpenSearchCluster(config, nodes);
      cluster.awaitReady();
      return cluster;
    } catch (IOException e) {
      destroy(nodes);
      if (cluster != null) {
        cluster.close();
      }
      throw new EngineStartException("cannot fork OpenSearch nodes: " + e.getMessage(), false, e);
    } catch (RuntimeException e) {
      if (cluster != null) {
        cluster.close();
      } else {
        destroy(nodes);
      }
      throw e;
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + config.startTimeout().toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      for (Node node : nodes) {
        if (!node.process().isAlive()) {
          throw new EngineStartException(
              String.format(
                  Locale.ROOT,
                  "OpenSearch node %s exited with code %d before the cluster was ready; see %s",
                  node.name(),
                  node.process().exitValue(),
                  node.log()),
              false,
              null);
        }
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        nodes
                            .get(0)
                            .httpUri()
                            .resolve(
                                "/_cluster/health?wait_for_nodes="
                                    + nodes.size()
                                    + "&wait_for_status=yellow&timeout=2s"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        last = r.statusCode() + " " + r.body();
        if (r.statusCode() == 200 && r.body().contains("\"timed_out\":false")) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineStartException("interrupted while waiting for OpenSearch", false, e);
      }
      sleep(POLL);
    }
    throw new EngineStartException(
        String.format(
            Locale.ROOT,
            "OpenSearch cluster of %d nodes not ready within %d s (%s=%s to change); last health"
                + " answer: %s; node logs in %s",
            nodes.size(),
            config.startTimeout().toSeconds(),
            ClusterConfig.START_TIMEOUT_PROPERTY,
            config.startTimeout().toSeconds(),
            last,
            config.workDir()),
        true,
        null);
  }

  /** The nodes, in start order. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The HTTP endpoints of every node. */
  public List<URI> httpUris() {
    return nodes.stream().map(Node::httpUri).toList();
  }

  /** Destroys every node's process tree, waits for them, deletes the work folder. Idempotent. */
  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    deleteRecursively(config.workDir());
  }

  private void destroyAll() {
    destroy(nodes);
  }

  private static void destroy(List<Node> nodes) {
    for (Node node : nodes) {
      node.process().descendants().forEach(ProcessHandle::destroy);
      node.process().destroy();
    }
    for (Node node : nodes) {
      try {
        if (!node.process().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          node.process().descendants().forEach(ProcessHandle::destroyForcibly);
          node.process().destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        node.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineStartException("interrupted while waiting for OpenSearch", false, e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(OpenSearchCluster::deleteQuietly);
    } catch (IOException e) {
      // leave it to the OS temp cleaner
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort
    }
  }
}
