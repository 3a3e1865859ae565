package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Readiness stays DOWN (and searches get 503 + Retry-After) while the model loads and while the
 * warm-up runs, liveness stays UP; readiness turns UP once model and index are in and every query
 * path has run a few times (issue 12, item 5).
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "shopsearch.overload.deadline=30s"})
class ReadinessTest {
  static final String HASH = "ready001";
  static final CountDownLatch MODEL_GATE = new CountDownLatch(1);
  static final CountDownLatch WARMUP_GATE = new CountDownLatch(1);
  static final FakeClip.Text TEXT = new FakeClip.Text();
  static final FakeClip.Image IMAGE = new FakeClip.Image();
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
        // The warm-up's first encode waits until the test has seen readiness DOWN during it.
        TEXT.onEncode =
            () -> {
              try {
                WARMUP_GATE.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            };
        return FakeClip.model(HASH, TEXT, IMAGE);
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
    // Model and index loaded, warm-up running: still not ready.
    JsonNode serving = awaitWarmupRunning(management);
    assertThat(serving.get("status").asText()).isEqualTo("DOWN");
    assertThat(serving.get("details").get("indexGeneration").asLong()).isEqualTo(1);
    assertThat(management.get("/actuator/health/readiness").status()).isEqualTo(503);

    WARMUP_GATE.countDown();
    Http.awaitReady(managementPort);
    // By readiness, text tower, image tower, kNN and BM25 have each run several times.
    assertThat(TEXT.texts.get()).isGreaterThanOrEqualTo(16);
    assertThat(IMAGE.calls.get()).isGreaterThanOrEqualTo(4);
    assertThat(
            management
                .get("/actuator/health")
                .json()
                .get("components")
                .get("serving")
                .get("details")
                .get("warmup")
                .asText())
        .startsWith("done")
        .contains("18 HTTP requests") // 3 rounds over loopback to the API port
        .contains("0 failed");
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

  /** Polls the health details until the warm-up is running; returns the serving component. */
  static JsonNode awaitWarmupRunning(Http management) {
    for (int i = 0; i < 600; i++) {
      JsonNode serving = management.get("/actuator/health").json().get("components").get("serving");
      JsonNode warmup = serving.get("details").get("warmup");
      if (warmup != null && warmup.asText().startsWith("running")) {
        return serving;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the warm-up never started");
  }
}
