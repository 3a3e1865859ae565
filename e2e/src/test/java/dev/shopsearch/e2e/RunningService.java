package dev.shopsearch.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service jar started on free ports over a bundle and an index root. */
final class RunningService implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunningService(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  static RunningService start(Path logDir, Path bundle, Path indexRoot, Path catalogRoot)
      throws IOException, InterruptedException {
    Path jar;
    try (var files = Files.list(Launched.projectRoot().resolve("service/target"))) {
      jar =
          files
              .filter(p -> p.getFileName().toString().matches("shopsearch-service-.*\\.jar"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("service jar missing: run package first"));
    }
    List<String> command =
        List.of(
            Launched.javaBinary(),
            "-Xmx1g",
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Dai.djl.offline=true",
            "-jar",
            jar.toString(),
            "--shopsearch.model.bundle-dir=" + bundle,
            "--shopsearch.index.root=" + indexRoot,
            "--shopsearch.index.catalog-root=" + catalogRoot);
    return start(logDir, "service", command, Map.of(), Duration.ofSeconds(180));
  }

  /**
   * Starts {@code command} (which must end in arguments the service accepts) on two free loopback
   * ports and waits until its readiness probe answers 200.
   */
  static RunningService start(
      Path logDir, String name, List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    int port = Launched.freePort();
    int management = Launched.freePort();
    List<String> full = new ArrayList<>(command);
    full.addAll(
        List.of(
            "--server.port=" + port,
            "--server.address=127.0.0.1",
            "--management.server.port=" + management,
            "--management.server.address=127.0.0.1",
            // a cold JVM on a busy 2-core machine: correctness here, latency in the benchmarks
            "--shopsearch.overload.deadline=30s"));
    Process p = Launched.start(logDir, name, full, env);
    RunningService service = new RunningService(p, logDir.resolve(name + ".log"), port);
    service.awaitReady(management, timeout);
    return service;
  }

  /** The combined output of the process so far. */
  String log() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private void awaitReady(int management, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI ready = URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("service exited early:\n" + Launched.tail(log));
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(ready).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("service not ready within " + timeout + ":\n" + Launched.tail(log));
  }

  /** {@code GET /v1/search} with the given query and mode; fails unless the answer is 200. */
  JsonNode search(String query, String mode, int k) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/v1/search?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&mode="
                + mode
                + "&k="
                + k);
    HttpResponse<String> r =
        http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError(
          "search '" + query + "' answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
