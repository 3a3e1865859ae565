package dev.shopsearch.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.shopsearch.core.fetch.FetchException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetches over HTTP from a real {@link HttpServer} on 127.0.0.1. */
class ImageSourceHttpTest {

  private static final byte[] IMAGE = "not really a jpeg, but bytes".getBytes();
  private static HttpServer server;
  private static ExecutorService executor;
  private static String base;
  private static final Map<String, AtomicInteger> HITS = new ConcurrentHashMap<>();

  /** Fast retries, timeouts generous enough for a busy machine, 127.0.0.1 allowed. */
  private static final FetchOptions LOCAL =
      FetchOptions.defaults()
          .withAllowPrivateAddresses(true)
          .withRetries(3, Duration.ofMillis(10))
          .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30));

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    route("/ok", ex -> send(ex, 200, IMAGE, "image/jpeg"));
    route("/missing", ex -> send(ex, 404, null, null));
    route("/teapot", ex -> send(ex, 418, null, null));
    route(
        "/flaky",
        ex -> {
          if (HITS.get("/flaky").get() <= 3) { // counted before the handler runs
            send(ex, 503, "busy".getBytes(), "text/plain");
          } else {
            send(ex, 200, IMAGE, "image/png");
          }
        });
    route("/broken", ex -> send(ex, 500, null, null));
    route("/big", ex -> send(ex, 200, new byte[1000], "image/jpeg"));
    route(
        "/big-chunked",
        ex -> {
          ex.sendResponseHeaders(200, 0);
          try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < 100; i++) {
              out.write(new byte[100]);
              out.flush();
            }
          } catch (IOException expected) {
            // the client hung up once it had enough
          }
        });
    route("/redirect", ex -> redirect(ex, "/ok"));
    route("/redirect-twice", ex -> redirect(ex, base + "/redirect"));
    route("/redirect-loop", ex -> redirect(ex, "/redirect-loop"));
    route("/redirect-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    route("/redirect-private", ex -> redirect(ex, "http://10.0.0.7/image.jpg"));
    route("/redirect-localhost", ex -> redirect(ex, "http://localhost:1/ok"));
    route("/redirect-file", ex -> redirect(ex, "file:///etc/passwd"));
    route(
        "/slow",
        ex -> {
          try {
            Thread.sleep(60_000); // far past any client timeout; interrupted at the end
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, IMAGE, "image/jpeg");
        });
    route(
        "/hang",
        ex -> {
          try {
            Thread.sleep(5000); // then answers: a fetch without a budget gets the image
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          send(ex, 200, IMAGE, "image/jpeg");
        });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  @BeforeEach
  void resetHits() {
    HITS.values().forEach(h -> h.set(0));
  }

  private static void route(String path, HttpHandler handler) {
    HITS.put(path, new AtomicInteger());
    server.createContext(
        path,
        ex -> {
          // Count before answering: the client may assert on the count as soon as it has a reply.
          HITS.get(path).incrementAndGet();
          try (ex) {
            handler.handle(ex);
          }
        });
  }

  private static void send(HttpExchange ex, int status, byte[] body, String type)
      throws IOException {
    if (type != null) {
      ex.getResponseHeaders().add("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body == null ? -1 : body.length);
    if (body != null) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      } catch (IOException expected) {
        // client gave up
      }
    }
  }

  private static void redirect(HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().add("Location", location);
    ex.sendResponseHeaders(302, -1);
  }

  private static int hits(String path) {
    return HITS.get(path).get();
  }

  private static void assertReason(ThrowingCallable call, Reason reason, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FetchException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              for (String fragment : fragments) {
                assertThat(e.getMessage()).contains(fragment);
              }
            });
  }

  /** Private addresses refused, except exactly the test server's 127.0.0.1. */
  private static ImageSource onlyTestServerAllowed(FetchOptions options) {
    return new ImageSource(
        null,
        options.withAllowPrivateAddresses(false),
        address ->
            address.getHostAddress().equals("127.0.0.1") ? null : AddressPolicy.classify(address));
  }

  @Test
  void fetchesBytesAndContentType() throws IOException {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL)) {
      FetchedImage image = source.fetch(base + "/ok");
      assertThat(image.bytes()).isEqualTo(IMAGE);
      assertThat(image.contentType()).isEqualTo("image/jpeg");
      assertThat(image.location()).isEqualTo(base + "/ok");
    }
  }

  @Test
  void notFoundAndOtherStatusesAreNotRetried() {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL)) {
      assertReason(() -> source.fetch(base + "/missing"), Reason.NOT_FOUND, "404");
      assertReason(() -> source.fetch(base + "/teapot"), Reason.HTTP_STATUS, "418");
    }
    assertThat(hits("/missing")).isEqualTo(1);
    assertThat(hits("/teapot")).isEqualTo(1);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() throws IOException {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL.withRetries(4, Duration.ofMillis(10)))) {
      FetchedImage image = source.fetch(base + "/flaky");
      assertThat(image.bytes()).isEqualTo(IMAGE);
      assertThat(image.contentType()).isEqualTo("image/png");
      assertThat(hits("/flaky")).isEqualTo(4);

      assertThatThrownBy(() -> source.fetch(base + "/broken"))
          .isInstanceOfSatisfying(
              FetchException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.HTTP_STATUS);
                assertThat(e.statusCode()).isEqualTo(500);
                assertThat(e.getMessage()).contains("after 4 attempts");
              });
      assertThat(hits("/broken")).isEqualTo(4);
    }
  }

  @Test
  void stopsReadingPastTheSizeCap() {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL.withMaxBytes(500))) {
      assertReason(() -> source.fetch(base + "/big"), Reason.TOO_LARGE, "Content-Length 1000");
      assertReason(() -> source.fetch(base + "/big-chunked"), Reason.TOO_LARGE, "limit of 500");
    }
    assertThat(hits("/big")).as("too large is not retried").isEqualTo(1);
  }

  @Test
  void followsRedirects() throws IOException {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL)) {
      FetchedImage image = source.fetch(base + "/redirect-twice");
      assertThat(image.bytes()).isEqualTo(IMAGE);
      assertThat(image.location()).isEqualTo(base + "/ok");
      assertThat(image.reference()).isEqualTo(base + "/redirect-twice");
    }
    try (ImageSource source = ImageSource.remoteOnly(LOCAL.withMaxRedirects(1))) {
      assertReason(
          () -> source.fetch(base + "/redirect-twice"), Reason.TOO_MANY_REDIRECTS, "limit of 1");
      assertReason(() -> source.fetch(base + "/redirect-loop"), Reason.TOO_MANY_REDIRECTS);
      assertReason(() -> source.fetch(base + "/redirect-file"), Reason.BAD_REFERENCE, "file:");
    }
  }

  @Test
  void privateAddressesAreRefusedByDefault() {
    try (ImageSource source = ImageSource.remoteOnly(FetchOptions.defaults())) {
      assertReason(
          () -> source.fetch(base + "/ok"),
          Reason.FORBIDDEN_ADDRESS,
          "127.0.0.1 (loopback)",
          "private addresses are not allowed");
      assertReason(
          () -> source.fetch("http://[::1]:8080/x.jpg"), Reason.FORBIDDEN_ADDRESS, "loopback");
      assertReason(
          () -> source.fetch("http://169.254.169.254/latest/meta-data/"),
          Reason.FORBIDDEN_ADDRESS,
          "link-local");
    }
    assertThat(hits("/ok")).as("no request reached the server").isZero();
  }

  @Test
  void redirectToAPrivateAddressIsRefused() throws IOException {
    try (ImageSource source = onlyTestServerAllowed(LOCAL)) {
      assertThat(source.fetch(base + "/redirect").bytes()).isEqualTo(IMAGE);
      assertReason(
          () -> source.fetch(base + "/redirect-metadata"),
          Reason.FORBIDDEN_ADDRESS,
          "169.254.169.254 (link-local)");
      assertReason(
          () -> source.fetch(base + "/redirect-private"), Reason.FORBIDDEN_ADDRESS, "10.0.0.7");
    }
    assertThat(hits("/redirect-metadata")).isEqualTo(1);
  }

  @Test
  void hostAllowList() throws IOException {
    try (ImageSource source =
        ImageSource.remoteOnly(LOCAL.withAllowedHosts(Set.of("images.example.com")))) {
      assertReason(
          () -> source.fetch(base + "/ok"),
          Reason.FORBIDDEN_HOST,
          "'127.0.0.1'",
          "[images.example.com]");
    }
    assertThat(hits("/ok")).isZero();
    try (ImageSource source = ImageSource.remoteOnly(LOCAL.withAllowedHosts(Set.of("127.0.0.1")))) {
      assertThat(source.fetch(base + "/redirect").bytes()).isEqualTo(IMAGE);
      assertReason(
          () -> source.fetch(base + "/redirect-localhost"), Reason.FORBIDDEN_HOST, "'localhost'");
    }
    FetchOptions suffix = LOCAL.withAllowedHosts(Set.of(".Example.com"));
    assertThat(suffix.hostAllowed("cdn.example.com")).isTrue();
    assertThat(suffix.hostAllowed("example.com")).isTrue();
    assertThat(suffix.hostAllowed("badexample.com")).isFalse();
  }

  @Test
  void aBudgetBoundsTheWholeFetchWhateverTheConfiguredTimeouts() throws IOException {
    FetchOptions patient =
        LOCAL
            .withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30))
            .withRetries(3, Duration.ofMillis(10));
    try (ImageSource source = ImageSource.remoteOnly(patient)) {
      assertReason(
          () -> source.fetch(base + "/hang", Duration.ofMillis(300)),
          Reason.TIMEOUT,
          "within the 300 ms budget");
      // No retry: its backoff pause alone would not fit in what is left (nothing).
      assertThat(hits("/hang")).isEqualTo(1);
      FetchedImage ok = source.fetch(base + "/redirect", Duration.ofSeconds(20));
      assertThat(ok.bytes()).isEqualTo(IMAGE);
      assertThatThrownBy(() -> source.fetch(base + "/ok", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("budget");
    }
  }

  @Test
  void slowServersTimeOut() {
    FetchOptions fast =
        LOCAL
            .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300))
            .withRetries(1, Duration.ZERO);
    try (ImageSource source = ImageSource.remoteOnly(fast)) {
      // The server answers only after a minute: TIMEOUT means the client gave up on its own.
      assertReason(() -> source.fetch(base + "/slow"), Reason.TIMEOUT, "PT0.3S");
    }
  }

  @Test
  void refusedConnectionIsAnIoError() throws IOException {
    int freePort;
    try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = socket.getLocalPort();
    }
    try (ImageSource source = ImageSource.remoteOnly(LOCAL.withRetries(2, Duration.ofMillis(5)))) {
      assertReason(
          () -> source.fetch("http://127.0.0.1:" + freePort + "/x.jpg"), Reason.IO, "2 attempts");
    }
  }

  @Test
  void oneSourceServesManyThreads() throws Exception {
    try (ImageSource source = ImageSource.remoteOnly(LOCAL);
        ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<FetchedImage>> futures = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String path = i % 2 == 0 ? "/ok" : "/redirect";
        futures.add(pool.submit(() -> source.fetch(base + path)));
      }
      for (Future<FetchedImage> f : futures) {
        assertThat(f.get().bytes()).isEqualTo(IMAGE);
      }
    }
    assertThat(hits("/ok")).isEqualTo(32);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> FetchOptions.defaults().withRetries(0, Duration.ZERO))
        .hasMessageContaining("maxAttempts must be in [1, 10]; maxAttempts=0");
    assertThatThrownBy(() -> FetchOptions.defaults().withMaxBytes(0))
        .hasMessageContaining("maxBytes");
    assertThatThrownBy(() -> FetchOptions.defaults().withTimeouts(Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("connectTimeout must be in (0, PT5M]");
    assertThatThrownBy(() -> FetchOptions.defaults().withAllowedHosts(Set.of(" ")))
        .hasMessageContaining("allowedHosts");
  }
}
