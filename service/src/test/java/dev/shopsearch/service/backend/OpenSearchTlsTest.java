package dev.shopsearch.service.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.EngineException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} hosts with a private CA: a self-signed node certificate (made with the JDK's
 * keytool, hence slow) is refused with the JVM's default trust and accepted with {@code
 * shopsearch.opensearch.trust-store}.
 */
@Tag("slow")
class OpenSearchTlsTest {

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> cmd =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("keytool %s", cmd).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", cmd, out).isZero();
  }

  private static HttpsServer server(Path nodeStore) throws Exception {
    KeyStore ks = KeyStore.getInstance(nodeStore.toFile(), "nodepass".toCharArray());
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "nodepass".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext(
        "/",
        exchange -> {
          byte[] ok = "{\"status\":\"green\"}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static OpenSearchProperties settings(URI host, Path trustStore, Path passwordFile) {
    return new OpenSearchProperties(
        List.of(host),
        "products",
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        null,
        null,
        "PW",
        trustStore,
        passwordFile);
  }

  @Test
  void aPrivateCaIsTrustedThroughTheTrustStoreOnly(@TempDir Path dir) throws Exception {
    keytool(
        dir,
        "-genkeypair",
        "-alias",
        "node",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-keystore",
        "node.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        "nodepass",
        "-keypass",
        "nodepass");
    keytool(
        dir,
        "-exportcert",
        "-alias",
        "node",
        "-keystore",
        "node.p12",
        "-storepass",
        "nodepass",
        "-rfc",
        "-file",
        "node.pem");
    keytool(
        dir,
        "-importcert",
        "-noprompt",
        "-alias",
        "node",
        "-file",
        "node.pem",
        "-keystore",
        "trust.p12",
        "-storetype",
        "PKCS12",
        "-storepass",
        "trustpass");
    Path passwordFile = dir.resolve("trust-password");
    Files.writeString(passwordFile, "trustpass\n");
    HttpsServer server = server(dir.resolve("node.p12"));
    URI host = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    try (EngineClient jvmTrust =
            BackendConfiguration.connect(settings(host, null, null), name -> null);
        EngineClient privateCa =
            BackendConfiguration.connect(
                settings(host, dir.resolve("trust.p12"), passwordFile), name -> null)) {
      assertThatThrownBy(() -> jvmTrust.call("GET", "/_cluster/health", null))
          .isInstanceOf(EngineException.class)
          .hasMessageContaining("failed");
      assertThat(privateCa.call("GET", "/_cluster/health", null).path("status").asText())
          .isEqualTo("green");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreadableTrustStoreFailsTheStartNamingTheSetting(@TempDir Path dir) throws IOException {
    URI host = URI.create("https://127.0.0.1:9200");
    assertThatThrownBy(
            () ->
                BackendConfiguration.connect(
                    settings(host, dir.resolve("missing.p12"), null), name -> null))
        .hasMessageContaining("cannot open shopsearch.opensearch.trust-store")
        .hasMessageContaining("missing.p12");
    Path password = dir.resolve("pw");
    Files.writeString(password, "secret-value");
    assertThatThrownBy(
            () -> BackendConfiguration.connect(settings(host, null, password), name -> null))
        .hasMessageContaining("trust-store is not")
        .hasMessageNotContaining("secret-value");
  }
}
