package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth and trust stores of {@link ConnectionConfig}: secrets never printed, really sent. */
class ClusterSecurityTest {
  private static final String PASSWORD = "s3cret-Pa55!";

  @TempDir Path tmp;

  private static Path testCa() throws URISyntaxException {
    return Path.of(ClusterSecurityTest.class.getResource("/tls/test-ca.pem").toURI());
  }

  @Test
  void toStringAndErrorMessagesNeverShowThePassword() throws Exception {
    Path file = tmp.resolve("password");
    Files.writeString(file, PASSWORD + "\n");
    Secret secret = Secret.fromFile(file);
    assertThat(new String(secret.reveal())).isEqualTo(PASSWORD); // trailing line break dropped
    ConnectionConfig config =
        new ConnectionConfig(
            List.of(URI.create("https://node:9200")),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            new ClusterSecurity("admin", secret, testCa(), Secret.of("store-pass", "test")));
    assertThat(config.toString())
        .doesNotContain(PASSWORD)
        .doesNotContain("store-pass")
        .contains(Secret.HIDDEN)
        .contains("admin");
    assertThat(secret.source()).isEqualTo("file " + file);

    assertThatThrownBy(
            () ->
                new ConnectionConfig(
                    List.of(URI.create("https://admin:" + PASSWORD + "@node:9200")),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2)))
        .hasMessageContaining("must not carry credentials")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void secretsFromMissingSourcesFailNamingTheSourceOnly() throws IOException {
    assertThatThrownBy(() -> Secret.fromEnv("OPENSEARCH_PASSWORD", Map.of()))
        .hasMessageContaining("OPENSEARCH_PASSWORD");
    Path empty = Files.writeString(tmp.resolve("empty"), "\n");
    assertThatThrownBy(() -> Secret.fromFile(empty)).hasMessageContaining("is empty");
    assertThatThrownBy(() -> Secret.fromFile(tmp.resolve("missing")))
        .hasMessageContaining("cannot read secret file");
    assertThatThrownBy(() -> new ClusterSecurity("admin", null, null, null))
        .hasMessageContaining("a password is required with username admin");
  }

  @Test
  void basicAuthAnswersTheClustersChallengeWithTheCredentials() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          seen.add(String.valueOf(auth));
          byte[] body;
          if (auth == null) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
            body = "{\"error\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(401, body.length);
          } else {
            body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
          }
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try (EngineClient client =
        EngineClient.connect(
            new ConnectionConfig(
                List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                new ClusterSecurity("admin", Secret.of(PASSWORD, "test"), null, null)))) {
      assertThat(client.call("GET", "/", null).path("ok").asBoolean()).isTrue();
    } finally {
      server.stop(0);
    }
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    assertThat(seen).last().isEqualTo(expected);
  }

  @Test
  void aPemTrustStoreLoadsItsCertificatesAndABadOneFailsNamingTheFile() throws Exception {
    KeyStore ks = TrustMaterial.load(testCa(), null);
    assertThat(ks.size()).isEqualTo(1);
    assertThat(TrustMaterial.sslContext(testCa(), null).getProtocol()).isEqualTo("TLS");
    Path junk = Files.writeString(tmp.resolve("junk.pem"), "not a certificate");
    assertThatThrownBy(() -> TrustMaterial.load(junk, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(junk.toString());
    // the client builds with https hosts, basic auth and the trust store (no call made)
    EngineClient.connect(
            new ConnectionConfig(
                List.of(URI.create("https://127.0.0.1:9200")),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                new ClusterSecurity("admin", Secret.of(PASSWORD, "test"), testCa(), null)))
        .close();
  }
}
