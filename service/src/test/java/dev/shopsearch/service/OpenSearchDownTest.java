package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code shopsearch.backend=opensearch} with the cluster down at start: readiness stays DOWN with
 * the reason in the health details, searches get a 503 problem+json naming why ({@code
 * engine-unavailable}), never a 500 or a hang. No cluster is started: the configured host is a port
 * nothing listens on.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.backend=opensearch",
      "shopsearch.opensearch.connect-timeout=500ms",
      "shopsearch.opensearch.request-timeout=2s"
    })
class OpenSearchDownTest {
  static final String HASH = "osdown01";

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text(), new FakeClip.Image());
    }
  }

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry registry) throws IOException {
    // no shopsearch.index.root: the embedded index is not needed with the OpenSearch backend
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free again once closed: nothing listens there
    }
    registry.add("shopsearch.opensearch.hosts", () -> "http://127.0.0.1:" + closed);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void readinessIsDownWithTheReasonAndSearchesGetA503NamingIt() throws Exception {
    Http http = new Http(port);
    Http management = new Http(managementPort);
    JsonNode serving = awaitBackendDetail(management);
    assertThat(serving.get("status").asText()).isEqualTo("DOWN");
    assertThat(serving.at("/details/backend").asText()).contains("OpenSearch cannot be reached");
    assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(503);
    assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(serving.at("/details/indexError").asText()).contains("no embedded index");

    for (String path :
        new String[] {
          "/v1/search?q=red",
          "/v1/search?q=red&mode=vector",
          "/v1/products/d1/similar",
          "/v1/suggest?q=red"
        }) {
      Http.Response r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(503);
      assertThat(r.header("Content-Type")).as(path).startsWith("application/problem+json");
      assertThat(r.header("Retry-After")).as(path).isNotNull();
      assertThat(r.json().get("type").asText()).as(path).endsWith("/engine-unavailable");
      assertThat(r.json().get("reason").asText()).as(path).isEqualTo("engine_unavailable");
      assertThat(r.json().get("detail").asText()).as(path).contains("OpenSearch cannot be reached");
    }
  }

  /** Polls the health until the model is loaded and the backend's reason is reported. */
  static JsonNode awaitBackendDetail(Http management) throws InterruptedException {
    for (int i = 0; i < 1200; i++) {
      JsonNode serving = management.get("/actuator/health").json().get("components").get("serving");
      if (serving != null && serving.at("/details/backend").isTextual()) {
        return serving;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the health never reported the backend's reason");
  }
}
