package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An operator who exposes {@code loggers} (to read levels) does not get a write endpoint with it:
 * endpoint access defaults to read-only, writes need {@code
 * management.endpoint.loggers.access=unrestricted} on purpose.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "management.endpoints.web.exposure.include=health,loggers"
    })
class ManagementWriteAccessTest {
  static final String HASH = "mgmt0002";

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    TestIndex.serveTemporary(registry, HASH, "w");
  }

  @LocalManagementPort int managementPort;

  @Test
  void exposedLoggersAreReadOnlyUnlessWritesAreOptedIn() {
    Http management = new Http(managementPort);
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level before = root.getLevel();

    Http.Response read = management.get("/actuator/loggers/ROOT");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("effectiveLevel").asText()).isEqualTo(before.toString());

    Http.Response off =
        management.postJson("/actuator/loggers/ROOT", "{\"configuredLevel\":\"OFF\"}");
    assertThat(off.status()).isBetween(400, 499);
    assertThat(root.getLevel()).isEqualTo(before);
  }
}
