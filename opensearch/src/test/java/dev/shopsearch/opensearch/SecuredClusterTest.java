package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.engine.EngineStartException;
import dev.shopsearch.secureengine.SecuredNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client's production path against a real cluster with the security plugin on (TLS on HTTP and
 * transport, basic auth): one OpenSearch 3.4.0 node ({@link SecuredNode}; the newest security
 * release served here, k-NN is served for 3.5.0 only, so no vectors here). Authenticated calls over
 * {@code https} with the test CA as PEM or PKCS12 trust; a wrong password is a 401 naming the
 * status, never the password; an untrusted certificate is refused; the service backend's readiness
 * reaches the cluster through the same client and names what is missing.
 */
@Tag("slow")
class SecuredClusterTest {
  private static SecuredNode node;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory("secured-cluster-test");
    try {
      node = SecuredNode.start(work);
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static EngineClient client(ClusterSecurity security) {
    return EngineClient.connect(
        new ConnectionConfig(
            List.of(node.httpsUri()), Duration.ofSeconds(5), Duration.ofSeconds(30), security));
  }

  private static ClusterSecurity pem(char[] password) {
    return new ClusterSecurity(
        node.user(), Secret.of(new String(password), "test"), node.caCertificate(), null);
  }

  @Test
  void authenticatedCallsOverHttpsReadAndWrite() {
    try (EngineClient client = client(pem(node.password()))) {
      assertThat(client.call("GET", "/_cluster/health", null).path("status").asText())
          .isIn("green", "yellow");
      ObjectNode body = EngineClient.json().createObjectNode();
      body.putObject("settings").putObject("index").put("number_of_replicas", 0);
      body.putObject("mappings")
          .putObject("properties")
          .putObject("product_id")
          .put("type", "keyword");
      client.call("PUT", "/secured-products", body);
      List<ObjectNode> docs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        docs.add(EngineClient.json().createObjectNode().put("product_id", "p" + i));
      }
      assertThat(
              new BulkWriter(
                      BulkSender.of(client),
                      new BulkConfig(10, 2, 3, Duration.ofMillis(100), Duration.ofSeconds(2)))
                  .write("secured-products", docs))
          .isEmpty();
      client.call("POST", "/secured-products/_refresh", null);
      assertThat(client.call("GET", "/secured-products/_count", null).path("count").asLong())
          .isEqualTo(30);
    }
  }

  @Test
  void aPkcs12TrustStoreWorksLikeThePem() {
    ClusterSecurity security =
        new ClusterSecurity(
            node.user(),
            Secret.of(new String(node.password()), "test"),
            node.trustStore(),
            Secret.of(new String(node.trustStorePassword()), "test"));
    try (EngineClient client = client(security)) {
      assertThat(client.call("GET", "/_cluster/health", null).path("cluster_name").asText())
          .startsWith("shopsearch-secure-test-");
    }
  }

  @Test
  void aWrongPasswordIsA401ThatNeverShowsThePassword() {
    String wrong = "not-" + new String(node.password());
    try (EngineClient client = client(pem(wrong.toCharArray()))) {
      assertThatThrownBy(() -> client.call("GET", "/_cluster/health", null))
          .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageContaining("401")
          .hasMessageNotContaining(wrong);
    }
  }

  @Test
  void aCertificateTheClientDoesNotTrustIsRefused() {
    // the JVM's trust store does not hold the test CA
    ClusterSecurity jvmTrust =
        new ClusterSecurity(
            node.user(), Secret.of(new String(node.password()), "test"), null, null);
    try (EngineClient client = client(jvmTrust)) {
      assertThatThrownBy(() -> client.call("GET", "/_cluster/health", null))
          .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.status()).isZero())
          .hasStackTraceContaining("PKIX");
    }
    // plain http to the https port gets no answer either
    try (EngineClient client =
        EngineClient.connect(
            new ConnectionConfig(
                List.of(URI.create("http://127.0.0.1:" + node.httpsUri().getPort())),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10)))) {
      assertThatThrownBy(() -> client.call("GET", "/_cluster/health", null))
          .isInstanceOf(EngineException.class);
    }
  }

  @Test
  void theServiceBackendsReadinessReachesTheSecuredClusterAndNamesWhatIsMissing() {
    try (EngineClient client = client(pem(node.password()))) {
      OpenSearchBackend backend =
          new OpenSearchBackend(
              client, new Generations(client, new IndexLayout("shop", 1, 0, true, 2)), meta -> {});
      assertThat(backend.notReadyReason()).contains("no OpenSearch index generation is published");
    }
    try (EngineClient client = client(pem("wrong".toCharArray()))) {
      OpenSearchBackend backend =
          new OpenSearchBackend(
              client, new Generations(client, new IndexLayout("shop", 1, 0, true, 2)), meta -> {});
      assertThat(backend.notReadyReason()).contains("401").doesNotContain("wrong");
    }
  }
}
