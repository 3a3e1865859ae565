package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.Pause;
import dev.shopsearch.service.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.ModelAndView;

/**
 * The per-client rate limit in front of the image endpoints, on a manual clock: a client that
 * resends at once is refused after its burst without its body being read, other clients and other
 * endpoints are unaffected, and the bucket refills at the configured rate.
 */
class UploadRateLimitTest {
  final ManualClock clock = new ManualClock();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<Exception> refusals = new ArrayList<>();
  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  Pause pause = pauses::add; // records the hold instead of sleeping

  UploadRateLimit filter(double perSecond, int burst, int maxClients) {
    return filter(perSecond, burst, maxClients, Duration.ZERO, 0);
  }

  UploadRateLimit filter(double perSecond, int burst, int maxClients, Duration hold, int maxHeld) {
    return new UploadRateLimit(
        new UploadRateProperties(true, perSecond, burst, maxClients, hold, maxHeld),
        clock,
        d -> pause.park(d),
        new SearchMetrics(registry),
        (request, response, handler, e) -> {
          refusals.add(e);
          response.setStatus(429);
          return new ModelAndView();
        });
  }

  /** A multipart upload whose body must never be touched by the filter itself. */
  static MockHttpServletRequest upload(String path, String client) {
    MockHttpServletRequest r =
        new MockHttpServletRequest("POST", path) {
          @Override
          public ServletInputStream getInputStream() {
            throw new AssertionError("the body was read");
          }

          @Override
          public BufferedReader getReader() {
            throw new AssertionError("the body was read");
          }

          @Override
          public Collection<Part> getParts() {
            throw new AssertionError("the body was parsed");
          }
        };
    r.setContentType("multipart/form-data; boundary=x");
    r.setRemoteAddr(client);
    return r;
  }

  /** Runs the filter; true when the request went on to the endpoint. */
  static boolean passes(UploadRateLimit f, MockHttpServletRequest request) throws Exception {
    MockFilterChain chain = new MockFilterChain();
    f.doFilter(request, new MockHttpServletResponse(), chain);
    return chain.getRequest() != null;
  }

  @Test
  void aClientThatResendsAtOnceIsRefusedAfterItsBurstBeforeItsBodyIsRead() throws Exception {
    UploadRateLimit f = filter(2, 3, 100);
    for (int i = 0; i < 3; i++) {
      assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isTrue();
    }
    // A storm: 100 more at the same instant, none reaches the endpoint, none is read.
    for (int i = 0; i < 100; i++) {
      assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isFalse();
    }
    assertThat(refusals).hasSize(100);
    UploadRateExceededException e = (UploadRateExceededException) refusals.getFirst();
    assertThat(e.retryAfterSeconds()).isEqualTo(1); // the next token in 500 ms, rounded up
    assertThat(e.getMessage())
        .contains("at most 2.0 per second, 3 at once")
        .contains("shopsearch.upload-rate.per-second")
        .contains("accepted in 500 ms");
    assertThat(registry.get("search.shed").tag("reason", "upload_rate").counter().count())
        .isEqualTo(100);
  }

  @Test
  void theBucketRefillsAtItsRate() throws Exception {
    UploadRateLimit f = filter(2, 1, 100);
    assertThat(passes(f, upload(UploadGate.CONSISTENCY, "10.0.0.1"))).isTrue();
    assertThat(passes(f, upload(UploadGate.CONSISTENCY, "10.0.0.1"))).isFalse();
    clock.advance(Duration.ofMillis(499));
    assertThat(passes(f, upload(UploadGate.CONSISTENCY, "10.0.0.1"))).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(passes(f, upload(UploadGate.CONSISTENCY, "10.0.0.1"))).isTrue();
  }

  @Test
  void clientsHaveTheirOwnBucketsAndOtherRequestsAreNotCounted() throws Exception {
    UploadRateLimit f = filter(0.01, 1, 100);
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isTrue();
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isFalse();
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.2"))).isTrue();
    // Text search and a GET of the image path are not image uploads.
    for (int i = 0; i < 5; i++) {
      assertThat(passes(f, upload("/v1/search", "10.0.0.1"))).isTrue();
      MockHttpServletRequest get = new MockHttpServletRequest("GET", UploadGate.SEARCH);
      get.setRemoteAddr("10.0.0.1");
      assertThat(passes(f, get)).isTrue();
    }
    UploadRateExceededException e = (UploadRateExceededException) refusals.getFirst();
    assertThat(e.retryAfterSeconds()).isEqualTo(100);
  }

  @Test
  void anIdleClientIsForgottenOnceItsBucketWouldBeFullAgain() throws Exception {
    UploadRateLimit f = filter(1, 2, 100);
    passes(f, upload(UploadGate.SEARCH, "10.0.0.1"));
    passes(f, upload(UploadGate.SEARCH, "10.0.0.2"));
    assertThat(f.clients()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(3)); // 2 tokens at 1 a second: full after 2 s
    assertThat(f.clients()).isZero();
  }

  @Test
  void refusalsAreHeldSoThatAClientThatResendsAtOnceIsPacedButNeverMoreThanMaxHeld()
      throws Exception {
    UploadRateLimit f = filter(1, 1, 100, Duration.ofSeconds(1), 1);
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isTrue();
    assertThat(pauses).isEmpty(); // an admitted upload is never held
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isFalse();
    assertThat(pauses).containsExactly(Duration.ofSeconds(1));
    assertThat(f.held()).isZero();

    // One refusal is being held (its pause blocks): the next one is answered at once.
    CountDownLatch parked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    pause =
        d -> {
          pauses.add(d);
          parked.countDown();
          release.await();
        };
    Thread first =
        Thread.ofVirtual().start(() -> assertRefused(f, upload(UploadGate.SEARCH, "10.0.0.1")));
    assertThat(parked.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(f.held()).isEqualTo(1);
    assertThat(passes(f, upload(UploadGate.SEARCH, "10.0.0.1"))).isFalse();
    assertThat(pauses).hasSize(2).as("the second refusal was not held");
    release.countDown();
    first.join();
    assertThat(f.held()).isZero();
    assertThat(refusals).hasSize(3);
  }

  static void assertRefused(UploadRateLimit f, MockHttpServletRequest request) {
    try {
      assertThat(passes(f, request)).isFalse();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
