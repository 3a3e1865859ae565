package dev.shopsearch.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.RawHttp;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Requests that are the client's fault get a 4xx {@code application/problem+json} whichever layer
 * refuses them (Spring MVC, the servlet container's error dispatch, Tomcat's connector), never a
 * 500, an HTML page or an ERROR line with a stack trace in the log. Requests are written by hand
 * over a socket ({@link RawHttp}) because HTTP clients refuse to send most of them.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      // generous: nothing here may depend on machine speed
      "shopsearch.overload.deadline=30s"
    })
@ExtendWith(OutputCaptureExtension.class)
class ProblemResponsesTest {
  static final String HASH = "pr0b1em5";

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

  @BeforeEach
  void ready() {
    Http.awaitReady(managementPort);
  }

  static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  }

  @ParameterizedTest
  @ValueSource(strings = {"%ff%fe", "%c3%28", "%c0%af", "%ed%a0%80"})
  void invalidUtf8InTheQueryIsA400NamingTheParameter(String bad, CapturedOutput log) {
    RawHttp.Response r = RawHttp.send(port, get("/v1/search?k=3&q=" + bad));
    assertProblem(r, 400);
    assertThat(r.json().get("parameter").asText()).isEqualTo("q");
    assertThat(r.json().get("detail").asText()).contains("UTF-8").contains(bad);
    assertThat(r.json().get("type").asText()).endsWith("/invalid-parameter");
    assertNoErrorLogged(log);
  }

  @Test
  void aBrokenPercentEscapeOrTooManyParametersAre400(CapturedOutput log) {
    RawHttp.Response escape = RawHttp.send(port, get("/v1/search?q=a%zz"));
    assertProblem(escape, 400);
    assertThat(escape.json().get("parameter").asText()).isEqualTo("q");
    RawHttp.Response many = RawHttp.send(port, get("/v1/search?" + "a=1&".repeat(1100) + "q=x"));
    assertProblem(many, 400);
    assertThat(many.json().get("detail").asText()).contains("1,000");
    assertNoErrorLogged(log);
  }

  @Test
  void multipartWithoutBoundaryIsA400(CapturedOutput log) {
    RawHttp.Response r =
        RawHttp.send(
            port,
            "POST /v1/search/image HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data\r\nContent-Length: 4\r\n"
                + "Connection: close\r\n\r\nabcd");
    assertProblem(r, 400);
    assertThat(r.json().get("detail").asText()).contains("boundary");
    assertThat(r.json().get("type").asText()).endsWith("/invalid-multipart");
    assertNoErrorLogged(log);
  }

  @Test
  void theErrorPathItselfIsNotFoundAsProblemJsonWhateverTheAcceptHeader(CapturedOutput log) {
    RawHttp.Response plain = RawHttp.send(port, get("/error"));
    assertProblem(plain, 404);
    RawHttp.Response html =
        RawHttp.send(
            port,
            "GET /error HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");
    assertProblem(html, 404);
    RawHttp.Response post =
        RawHttp.send(
            port,
            "POST /error HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n");
    assertProblem(post, 404);
    assertNoErrorLogged(log);
  }

  @Test
  void containerErrorsOutsideSpringMvcAreProblemJson(CapturedOutput log) {
    RawHttp.Response trace =
        RawHttp.send(
            port,
            "TRACE /v1/search?q=x HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n"
                + "Connection: close\r\n\r\n");
    assertProblem(trace, 405);
    assertThat(trace.json().get("instance").asText()).isEqualTo("/v1/search");
    assertNoErrorLogged(log);
  }

  @Test
  void tomcatLevelRefusalsAreProblemJsonNotHtml(CapturedOutput log) {
    RawHttp.Response target = RawHttp.send(port, get("/v1/search?q=a{b"));
    assertProblem(target, 400);
    assertThat(target.json().get("detail").asText()).contains("request target");
    assertProblem(RawHttp.send(port, get("/v1/%zz")), 400);
    assertProblem(RawHttp.send(port, get("/v1/search%2f?q=x")), 400);
    assertProblem(
        RawHttp.send(
            port,
            "GET /v1/search?q=x HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n"
                + "Connection: close\r\n\r\n"),
        400);
    assertProblem(
        RawHttp.send(
            port,
            "GET /v1/search?q=x HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n"),
        400);
    RawHttp.Response version =
        RawHttp.send(port, "GET /v1/search?q=x HTTP/9.9\r\nHost: localhost\r\n\r\n");
    assertProblem(version, 505);
    assertThat(version.json().has("detail")).isFalse();
    assertNoErrorLogged(log);
  }

  @Test
  void aGoodRequestIsStillServed() {
    RawHttp.Response r = RawHttp.send(port, get("/v1/search?q=red%20dress&k=2&mode=lexical"));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("hits")).hasSize(2);
  }

  static void assertProblem(RawHttp.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("content-type")).startsWith("application/problem+json");
    assertThat(r.json().get("status").asInt()).isEqualTo(status);
    assertThat(r.json().get("title").asText()).isNotBlank();
    assertThat(r.body())
        .doesNotContain("<html")
        .doesNotContain("Exception")
        .doesNotContain("at org.")
        .doesNotContain("Tomcat");
  }

  static void assertNoErrorLogged(CapturedOutput log) {
    assertThat(log.getAll()).doesNotContain(" ERROR ").doesNotContain("unexpected error");
  }
}
