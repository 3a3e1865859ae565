package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Readiness stays DOWN (and searches get 503 + Retry-After) while the model loads, liveness stays
 * UP; both turn UP once model and index are in.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class ReadinessTest {
  static final String HASH = "ready001";
  static final CountDownLatch MODEL_GATE = new CountDownLatch(1);
  static Path root;

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader slowLoader() {
      return config -> {
        try {
          MODEL_GATE.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return FakeClip.model(HASH, new FakeClip.Text());
      };
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    root = Files.createTempDirectory("shopsearch-ready");
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("r"));
    registry.add("shopsearch.index.root", root::toString);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void notReadyUntilModelAndIndexAreLoaded() {
    Http http = new Http(port);
    Http management = new Http(managementPort);
    Http.Response readiness = management.get("/actuator/health/readiness");
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    Http.Response search = http.get("/v1/search?q=red");
    assertThat(search.status()).isEqualTo(503);
    assertThat(search.header("Retry-After")).isEqualTo("1");
    assertThat(search.json().get("type").asText()).endsWith("/not-ready");
    assertThat(search.json().get("detail").asText()).contains("model is still loading");
    assertThat(http.get("/v1/info").json().get("model").get("status").asText())
        .isEqualTo("loading");

    MODEL_GATE.countDown();
    Http.awaitReady(managementPort, Duration.ofSeconds(20));
    assertThat(http.get("/v1/search?q=red").status()).isEqualTo(200);
    assertThat(
            management
                .get("/actuator/health")
                .json()
                .get("components")
                .get("serving")
                .get("details")
                .get("indexGeneration")
                .asLong())
        .isEqualTo(1);
    Http.Response docs = http.get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").fieldNames())
        .toIterable()
        .contains(
            "/v1/search",
            "/v1/search/image",
            "/v1/products/{id}/similar",
            "/v1/consistency",
            "/v1/info");
  }
}
