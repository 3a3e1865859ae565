package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestIndex;
import java.awt.Color;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A client that keeps uploading without waiting gets 429 problems with {@code Retry-After} once its
 * burst is spent, refused before its body is parsed, while text search is unaffected. The rate is
 * one upload per 1000 s, so nothing here depends on how fast the machine runs.
 */
@Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.overload.deadline=30s",
      "shopsearch.warmup.enabled=false",
      "shopsearch.upload-rate.per-second=0.001",
      "shopsearch.upload-rate.burst=3",
      "shopsearch.upload-rate.hold-refusals=100ms"
    })
class UploadRateLimitAppTest {
  static final String HASH = "r4te1imt";

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    TestIndex.serveTemporary(registry, HASH, "p");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void aStormingClientGets429sWithRetryAfterAndTextSearchIsServed() {
    Http http = new Http(port);
    Http.awaitReady(managementPort);
    byte[] png = TestImages.png(Color.RED, 32, 1);
    for (int i = 0; i < 3; i++) {
      Http.Response ok = http.postMultipart("/v1/search/image?k=3", Map.of("image", png), Map.of());
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }
    for (int i = 0; i < 10; i++) {
      Http.Response refused =
          http.postMultipart("/v1/search/image?k=3", Map.of("image", png), Map.of());
      assertThat(refused.status()).as(refused.body()).isEqualTo(429);
      assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(900L, 1000L);
      assertThat(refused.json().get("type").asText()).endsWith("/too-many-requests");
      assertThat(refused.json().get("parameter").asText())
          .isEqualTo("shopsearch.upload-rate.per-second");
      assertThat(refused.json().get("perSecond").asDouble()).isEqualTo(0.001);
      assertThat(refused.json().get("burst").asInt()).isEqualTo(3);
      assertThat(refused.json().get("requestId").asText()).isNotBlank();
    }
    // Refused before parsing: a body that is no multipart at all gets the same 429, not a 400.
    Http.Response unread =
        http.post(
            "/v1/search/image", "multipart/form-data; boundary=x", "not multipart".getBytes());
    assertThat(unread.status()).isEqualTo(429);
    // The image-URL form counts too (a fetch costs as much as an upload).
    assertThat(
            http.postJson("/v1/search/image", "{\"url\": \"http://example.com/a.png\"}").status())
        .isEqualTo(429);
    Http.Response text = http.get("/v1/search?k=3&q=red+dress");
    assertThat(text.status()).as(text.body()).isEqualTo(200);
  }
}
