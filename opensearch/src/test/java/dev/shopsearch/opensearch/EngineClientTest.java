package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Per-call timeouts of {@link EngineClient} against a local HTTP server. */
class EngineClientTest {

  @Test
  void aCallWithTheRequestsTimeLeftIsAbandonedWhenTheEngineDoesNotAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            release.await(); // an engine that never answers (until the test ends)
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    // configured: 10 minutes per call; the query's time left: 200 ms
    try (EngineClient client =
        EngineClient.connect(
            new ConnectionConfig(
                List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10)))) {
      // the guard only stops a hang (the configured 10 minutes) from stalling the build
      assertTimeoutPreemptively(
          Duration.ofMinutes(2),
          () ->
              assertThatThrownBy(
                      () ->
                          client.call(
                              "POST",
                              "/products/_search",
                              EngineClient.json().createObjectNode(),
                              Duration.ofMillis(200)))
                  .isInstanceOfSatisfying(
                      EngineException.class,
                      e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.retryable()).isTrue();
                      })
                  .hasMessageContaining("POST /products/_search failed"));
    } finally {
      release.countDown();
      server.stop(0);
    }
  }

  @Test
  void basicAuthAnswersTheClustersChallengeAndNeverShowsThePassword() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server
        .createContext(
            "/",
            exchange -> {
              byte[] ok = "{\"status\":\"green\"}".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, ok.length);
              exchange.getResponseBody().write(ok);
              exchange.close();
            })
        .setAuthenticator(
            new com.sun.net.httpserver.BasicAuthenticator("opensearch") {
              @Override
              public boolean checkCredentials(String user, String password) {
                return user.equals("search") && password.equals("s3cret!");
              }
            });
    server.start();
    List<URI> hosts = List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    ClusterSecurity rightLogin =
        new ClusterSecurity("search", Secret.of("s3cret!", "test"), null, null);
    try (EngineClient anonymous = EngineClient.connect(config(hosts, ClusterSecurity.NONE));
        EngineClient wrong =
            EngineClient.connect(
                config(
                    hosts, new ClusterSecurity("search", Secret.of("nope", "test"), null, null)));
        EngineClient right = EngineClient.connect(config(hosts, rightLogin))) {
      assertThatThrownBy(() -> anonymous.call("GET", "/_cluster/health", null))
          .isInstanceOfSatisfying(
              EngineException.class, e -> assertThat(e.status()).isEqualTo(401));
      assertThatThrownBy(() -> wrong.call("GET", "/_cluster/health", null))
          .isInstanceOfSatisfying(
              EngineException.class, e -> assertThat(e.status()).isEqualTo(401));
      assertThat(right.call("GET", "/_cluster/health", null).path("status").asText())
          .isEqualTo("green");
      assertThat(
              OpenSearchIndexView.unavailable(new EngineException(401, "GET / answered 401", null)))
          .isInstanceOf(dev.shopsearch.core.search.BackendUnavailableException.class)
          .hasMessageContaining("refused the credentials");
      assertThat(config(hosts, rightLogin).toString()).contains("search").doesNotContain("s3cret!");
    } finally {
      server.stop(0);
    }
  }

  private static ConnectionConfig config(List<URI> hosts, ClusterSecurity security) {
    return new ConnectionConfig(hosts, Duration.ofSeconds(5), Duration.ofSeconds(30), security);
  }
}
