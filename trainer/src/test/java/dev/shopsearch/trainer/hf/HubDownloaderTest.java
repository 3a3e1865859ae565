package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloaderTest {

  @TempDir Path dir;
  HttpServer server;
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final Map<String, String> etags = new ConcurrentHashMap<>();
  final List<String> ranges = new ArrayList<>();
  URI endpoint;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    byte[] body = files.get(path);
    if (body == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    if (etags.containsKey(path)) {
      ex.getResponseHeaders().add("X-Linked-Etag", "\"" + etags.get(path) + "\"");
    }
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(200, -1);
      ex.close();
      return;
    }
    String range = ex.getRequestHeaders().getFirst("Range");
    int from = 0;
    int status = 200;
    if (range != null) {
      synchronized (ranges) {
        ranges.add(range);
      }
      from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
      status = 206;
      ex.getResponseHeaders()
          .add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
    }
    ex.sendResponseHeaders(status, body.length - from);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body, from, body.length - from);
    }
  }

  static byte[] content(int n) {
    byte[] b = new byte[n];
    new Random(9).nextBytes(b);
    return b;
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void resumesPartialDownloadWithRangeAndChecksAgainstHubDigest() throws Exception {
    byte[] data = content(200_000);
    files.put("/acme/tiny-clip/resolve/main/model.safetensors", data);
    etags.put("/acme/tiny-clip/resolve/main/model.safetensors", sha(data));
    files.put("/acme/tiny-clip/resolve/main/config.json", "{}".getBytes());
    Files.write(dir.resolve("model.safetensors.part"), Arrays.copyOf(data, 70_000));
    List<String> log = new ArrayList<>();

    new HubDownloader(endpoint, null, log::add)
        .pull("acme/tiny-clip", "main", List.of("config.json", "model.safetensors"), dir, Map.of());

    assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(data);
    assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("{}");
    assertThat(ranges).containsExactly("bytes=70000-");
    assertThat(dir.resolve("model.safetensors.part")).doesNotExist();
    assertThat(log).anyMatch(l -> l.contains("resuming model.safetensors at byte 70000"));
    assertThat(log).anyMatch(l -> l.contains("model.safetensors: 200000 bytes, sha256 ok"));
  }

  @Test
  void checksumMismatchDeletesTheDownloadAndFails() throws Exception {
    byte[] data = content(5_000);
    files.put("/acme/tiny-clip/resolve/main/model.safetensors", data);
    etags.put("/acme/tiny-clip/resolve/main/model.safetensors", sha(new byte[] {1}));
    HubDownloader d = new HubDownloader(endpoint, null, l -> {});
    assertThatThrownBy(
            () -> d.pull("acme/tiny-clip", "main", List.of("model.safetensors"), dir, Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum mismatch");
    assertThat(dir.resolve("model.safetensors")).doesNotExist();
    assertThat(dir.resolve("model.safetensors.part")).doesNotExist();

    // a caller-supplied digest wins over the hub's header
    d.pull(
        "acme/tiny-clip",
        "main",
        List.of("model.safetensors"),
        dir,
        Map.of("model.safetensors", sha(data)));
    assertThat(Files.readAllBytes(dir.resolve("model.safetensors"))).isEqualTo(data);
  }

  @Test
  void missingFileAndBadNamesFailClearly() {
    HubDownloader d = new HubDownloader(endpoint, "secret", l -> {});
    assertThatThrownBy(() -> d.pull("acme/none", "main", List.of("config.json"), dir, Map.of()))
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("/acme/none/resolve/main/config.json");
    assertThatThrownBy(() -> d.url("acme/../x", "main", "a")).hasMessageContaining("owner/name");
    assertThatThrownBy(() -> d.url("acme/x", "main", "../a")).hasMessageContaining("relative");
  }
}
