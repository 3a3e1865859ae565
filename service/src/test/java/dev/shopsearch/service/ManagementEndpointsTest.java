package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The management port's defaults (issue 12, item 2): bound to loopback, only health, info and
 * prometheus exposed, no write operation — {@code POST /actuator/loggers/ROOT} must not be able to
 * silence the service. Only the port is overridden here (random), as every test does.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0"})
class ManagementEndpointsTest {
  static final String HASH = "mgmt0001";

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    TestIndex.serveTemporary(registry, HASH, "m");
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void managementPortListensOnLoopbackOnly() throws IOException {
    Http management = new Http(managementPort);
    assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeTrue(external.isPresent(), "skipping: this machine has no non-loopback IPv4 address");
    // The API port answers on that address, so the address itself is reachable ...
    try (Socket api = new Socket()) {
      api.connect(new InetSocketAddress(external.get(), port), 5_000);
      assertThat(api.isConnected()).isTrue();
    }
    // ... but nothing listens there on the management port.
    assertThatThrownBy(
            () -> {
              try (Socket m = new Socket()) {
                m.connect(new InetSocketAddress(external.get(), managementPort), 5_000);
              }
            })
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void onlyHealthInfoAndPrometheusAreExposed() {
    Http management = new Http(managementPort);
    List<String> links = new ArrayList<>();
    management.get("/actuator").json().get("_links").fieldNames().forEachRemaining(links::add);
    assertThat(links)
        .containsExactlyInAnyOrder("self", "health", "health-path", "info", "prometheus");
    for (String hidden :
        List.of("env", "loggers", "threaddump", "configprops", "metrics", "heapdump", "beans")) {
      assertThat(management.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
    }
    assertThat(management.get("/actuator/prometheus").status()).isEqualTo(200);
    assertThat(management.get("/actuator/info").status()).isEqualTo(200);
  }

  @Test
  void loggingCannotBeSwitchedOffOverHttp() {
    Http management = new Http(managementPort);
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.classic.Level before = root.getLevel();
    Http.Response off =
        management.postJson("/actuator/loggers/ROOT", "{\"configuredLevel\":\"OFF\"}");
    assertThat(off.status()).isEqualTo(404);
    assertThat(root.getLevel()).isEqualTo(before);
  }

  /** An up, non-loopback IPv4 address of this machine, if any. */
  static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      Optional<InetAddress> a =
          nic.inetAddresses()
              .filter(x -> x instanceof Inet4Address && !x.isLinkLocalAddress())
              .findFirst();
      if (a.isPresent()) {
        return a;
      }
    }
    return Optional.empty();
  }
}
