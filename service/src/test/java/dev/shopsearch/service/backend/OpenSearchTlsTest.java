package dev.shopsearch.service.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.EngineException;
import dev.shopsearch.opensearch.Generations;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchBackend;
import dev.shopsearch.secureengine.SecuredNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's {@code shopsearch.opensearch.*} settings against a real cluster with the security
 * plugin on ({@link SecuredNode}: OpenSearch 3.4.0, TLS with a private CA, basic auth): the user
 * and password file and the trust store reach it through {@link BackendConfiguration#connect}, the
 * path the service starts with; the JVM's default trust refuses the node; a wrong password is
 * refused naming the 401, never the password; readiness then names what is missing.
 */
@Tag("slow")
class OpenSearchTlsTest {

  private static OpenSearchProperties settings(
      URI host, String user, Path passwordFile, Path trustStore, Path trustStorePasswordFile) {
    return new OpenSearchProperties(
        List.of(host),
        "products",
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        user,
        passwordFile,
        "PW",
        trustStore,
        trustStorePasswordFile);
  }

  private static String readiness(EngineClient client) {
    // the service's reading layout (BackendConfiguration.openSearch), any model accepted
    return new OpenSearchBackend(
            client, new Generations(client, new IndexLayout("products", 1, 0, false, 1)), m -> {})
        .notReadyReason();
  }

  @Test
  void aSecuredClusterIsReachedThroughTheServicesSettings(@TempDir Path dir) throws Exception {
    SecuredNode node;
    try {
      node = SecuredNode.start(Files.createDirectories(dir.resolve("node")));
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    try (node) {
      Path password = Files.writeString(dir.resolve("password"), new String(node.password()));
      Path wrong = Files.writeString(dir.resolve("wrong"), "not-" + new String(node.password()));
      Path storePassword =
          Files.writeString(dir.resolve("store-password"), new String(node.trustStorePassword()));
      URI host = node.httpsUri();
      try (EngineClient secured =
              BackendConfiguration.connect(
                  settings(host, node.user(), password, node.trustStore(), storePassword),
                  name -> null);
          EngineClient pem =
              BackendConfiguration.connect(
                  settings(host, node.user(), password, node.caCertificate(), null), name -> null);
          EngineClient jvmTrust =
              BackendConfiguration.connect(
                  settings(host, node.user(), password, null, null), name -> null);
          EngineClient refused =
              BackendConfiguration.connect(
                  settings(host, node.user(), wrong, node.trustStore(), storePassword),
                  name -> null)) {
        for (EngineClient c : List.of(secured, pem)) {
          assertThat(c.call("GET", "/_cluster/health", null).path("status").asText())
              .isIn("green", "yellow");
          assertThat(readiness(c)).contains("no OpenSearch index generation is published");
        }
        assertThatThrownBy(() -> jvmTrust.call("GET", "/_cluster/health", null))
            .isInstanceOf(EngineException.class)
            .hasMessageContaining("failed")
            .hasStackTraceContaining("PKIX");
        assertThatThrownBy(() -> refused.call("GET", "/_cluster/health", null))
            .isInstanceOfSatisfying(
                EngineException.class, e -> assertThat(e.status()).isEqualTo(401))
            .hasMessageNotContaining(new String(node.password()));
        assertThat(readiness(refused))
            .contains("OpenSearch refused the credentials")
            .doesNotContain(new String(node.password()));
      }
    }
  }

  @Test
  void anUnreadableTrustStoreFailsTheStartNamingTheSetting(@TempDir Path dir) throws IOException {
    URI host = URI.create("https://127.0.0.1:9200");
    assertThatThrownBy(
            () ->
                BackendConfiguration.connect(
                    settings(host, null, null, dir.resolve("missing.p12"), null), name -> null))
        .hasMessageContaining("cannot open shopsearch.opensearch.trust-store")
        .hasMessageContaining("missing.p12");
    Path password = dir.resolve("pw");
    Files.writeString(password, "secret-value");
    assertThatThrownBy(
            () ->
                BackendConfiguration.connect(
                    settings(host, null, null, null, password), name -> null))
        .hasMessageContaining("trust-store is not")
        .hasMessageNotContaining("secret-value");
  }
}
