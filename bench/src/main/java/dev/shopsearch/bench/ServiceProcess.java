package dev.shopsearch.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The search service's jar forked as its own JVM on free loopback ports, for benchmarks that drive
 * it over HTTP. {@link #start} returns once readiness says UP; {@link #close} stops it (SIGTERM,
 * then SIGKILL after 20 s). Output goes to a log file.
 */
final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final Path log;

  private ServiceProcess(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts {@code java -Xmx<heap> -jar jar --server.port=… --management.server.port=… args…} and
   * waits until {@code /actuator/health/readiness} answers 200.
   *
   * @param args the service's settings, {@code --key=value}
   * @throws IllegalStateException when the JVM exits or is not ready within {@code timeout} (naming
   *     the log file), or the jar does not exist
   */
  static ServiceProcess start(Path jar, String heap, List<String> args, Path log, Duration timeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "service jar not found: " + jar + " (build it: ./mvnw -pl service -am package)");
    }
    int port = freePort();
    int management = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx" + heap,
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Dai.djl.offline=true",
            "-jar",
            jar.toString(),
            "--server.port=" + port,
            "--management.server.port=" + management));
    cmd.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    Process p = pb.start();
    ServiceProcess s = new ServiceProcess(p, URI.create("http://127.0.0.1:" + port), log);
    try {
      s.awaitReady(URI.create("http://127.0.0.1:" + management), timeout);
      return s;
    } catch (RuntimeException | InterruptedException e) {
      s.close();
      throw e;
    }
  }

  private void awaitReady(URI management, Duration timeout) throws InterruptedException {
    HttpRequest readiness =
        HttpRequest.newBuilder(management.resolve("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "service exited with " + process.exitValue() + " before it was ready; see " + log);
        }
        try {
          if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException e) {
          // not listening yet
        }
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("service not ready within " + timeout + "; see " + log);
  }

  /** {@code http://127.0.0.1:<port>}. */
  URI base() {
    return base;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
