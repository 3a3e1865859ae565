package dev.shopsearch.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Closed-loop image uploaders for {@link LoadDriver}: {@code n} clients, each posting the same
 * image to {@code /v1/search/image} again as soon as (plus {@code pauseMillis} after) its previous
 * upload is answered, until stopped; with {@code honourRetryAfter}, a client answered 503 first
 * waits the {@code Retry-After} seconds, as the service asks (so does one answered 429, the
 * per-client upload rate limit); without it, a client resends at once (a retry storm). Counts
 * answers by status and 503 reason, and keeps their latencies.
 */
final class UploadClients {
  private static final Pattern REASON = Pattern.compile("\"reason\":\"([a-z_]+)\"");

  private final URI target;
  private final byte[] body;
  private final String boundary = "----shopsearch-bench";
  private final String deadlineMs;
  private final long pauseMillis;
  private final boolean honourRetryAfter;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentMap<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
  private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /**
   * Starts {@code n} clients.
   *
   * @param deadlineMs {@code X-Request-Deadline-Ms} to send, or null
   */
  UploadClients(
      URI base,
      byte[] image,
      int n,
      String deadlineMs,
      long pauseMillis,
      boolean honourRetryAfter) {
    this.honourRetryAfter = honourRetryAfter;
    this.target = base.resolve("/v1/search/image?k=10");
    this.deadlineMs = deadlineMs;
    this.pauseMillis = pauseMillis;
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.length + 256);
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"upload.png\""
                + "\r\nContent-Type: image/png\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(image);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    this.body = out.toByteArray();
    for (int i = 0; i < n; i++) {
      threads.submit(this::loop);
    }
  }

  private void loop() {
    while (running.get()) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (deadlineMs != null) {
        b.header("X-Request-Deadline-Ms", deadlineMs);
      }
      long t0 = System.nanoTime();
      String outcome;
      long retryAfterMillis = 0;
      try {
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        outcome = Integer.toString(r.statusCode());
        Matcher m = REASON.matcher(r.body());
        if (r.statusCode() == 503 && m.find()) {
          outcome += " " + m.group(1);
        }
        if (honourRetryAfter && (r.statusCode() == 503 || r.statusCode() == 429)) {
          retryAfterMillis =
              1000
                  * Math.min(60, Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        outcome = "error " + e.getClass().getSimpleName();
      }
      if (running.get()) {
        latencies.add(System.nanoTime() - t0);
        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
      }
      if (pauseMillis + retryAfterMillis > 0) {
        try {
          Thread.sleep(pauseMillis + retryAfterMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Forgets what was counted so far (after a warm-up). */
  void reset() {
    outcomes.clear();
    latencies.clear();
  }

  /** Stops the clients and summarises the answers received since the last {@link #reset}. */
  Map<String, Object> stop() throws InterruptedException {
    running.set(false);
    threads.shutdownNow();
    threads.awaitTermination(70, TimeUnit.SECONDS);
    client.close();
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> byOutcome = new LinkedHashMap<>();
    outcomes.forEach((k, v) -> byOutcome.put(k, v.get()));
    long[] ms;
    synchronized (latencies) {
      ms = latencies.stream().mapToLong(Long::longValue).toArray();
    }
    out.put("answered", ms.length);
    out.put("outcomes", byOutcome);
    out.put("ms", LoadDriver.percentiles(ms, ms.length));
    return out;
  }
}
