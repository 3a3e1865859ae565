package dev.shopsearch.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load driver for the search service on 127.0.0.1: open loop at a constant rate (default) or closed
 * loop with {@code --connections=N}.
 *
 * <p>Request {@code i} is due at {@code start + i / rate}; it is sent at that moment whatever
 * happened to earlier ones (open loop), and its latency is measured from the moment it was due, so
 * a stalled server cannot hide its queueing (no coordinated omission). Bounded by {@code
 * --requests} and {@code --seconds}; at most {@code --max-outstanding} requests are open at once
 * (beyond that a request is counted as {@code dropped} by the driver, never queued).
 *
 * <pre>
 * java -cp bench/target/classes dev.shopsearch.bench.LoadDriver \
 *   --url=http://127.0.0.1:8080 --rate=100 --seconds=30 --mode=vector --k=10 [--unique]
 * </pre>
 *
 * <p>Closed loop ({@code --connections=N}): N clients, each sending its next request as soon as the
 * previous one is answered, for {@code --seconds} or until {@code --requests} in all; latency is
 * measured from each send. {@code --connections=1 --requests=40} is 40 sequential requests.
 *
 * <p>{@code --unique} appends a counter word to every query so that no two requests share a cached
 * embedding. Prints one JSON line: sent, ok, shed (503), errors, dropped, p50/p95/p99/max ms of the
 * answered requests (ok and shed separately), achieved rate and shed rate.
 *
 * <p>{@code --upload-clients=16 --upload-file=/tmp/near-limit.png} adds that many closed-loop image
 * uploaders ({@link UploadClients}) for the warm-up and the measurement, optionally with {@code
 * --upload-deadline-ms}, {@code --upload-pause-ms} between a client's uploads and {@code
 * --upload-retry-after=true} (wait a 503's {@code Retry-After} first); their answers (by status and
 * 503 reason) and latencies are printed under {@code uploads}.
 */
public final class LoadDriver {
  /** Built-in query texts (catalog-like). */
  static final List<String> QUERIES =
      List.of(
          "red dress",
          "blue denim jacket",
          "black leather handbag",
          "white sneakers",
          "green summer dress",
          "striped cotton shirt",
          "wool winter coat",
          "running shoes",
          "silk scarf",
          "brown boots",
          "yoga mat",
          "floral skirt",
          "grey hoodie",
          "navy t-shirt",
          "gold watch",
          "pink backpack");

  /** Parsed options. */
  record Options(
      URI base,
      double rate,
      int seconds,
      int requests,
      int warmupSeconds,
      String mode,
      int k,
      boolean unique,
      int maxOutstanding,
      String deadlineMs,
      List<String> queries,
      int connections,
      int uploadClients,
      Path uploadFile,
      String uploadDeadlineMs,
      long uploadPauseMillis,
      boolean uploadRetryAfter) {}

  private LoadDriver() {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    UploadClients uploads =
        o.uploadClients() > 0
            ? new UploadClients(
                o.base(),
                Files.readAllBytes(o.uploadFile()),
                o.uploadClients(),
                o.uploadDeadlineMs(),
                o.uploadPauseMillis(),
                o.uploadRetryAfter())
            : null;
    warmUp(o);
    if (uploads != null) {
      uploads.reset();
    }
    Map<String, Object> result = o.connections() > 0 ? runClosed(o, "") : run(o, "");
    if (uploads != null) {
      result.put("uploadClients", o.uploadClients());
      result.put("uploads", uploads.stop());
    }
    System.out.println(toJson(result));
  }

  /**
   * The warm-up phase of {@code o}, if it has one: {@code warmupSeconds} at {@code min(rate, 50)}
   * (closed loop: at most 2 connections), no uploads; its result is discarded.
   */
  static void warmUp(Options o) throws InterruptedException {
    if (o.warmupSeconds() > 0) {
      Options warm =
          new Options(
              o.base(),
              Math.min(o.rate(), 50),
              o.warmupSeconds(),
              Integer.MAX_VALUE,
              0,
              o.mode(),
              o.k(),
              o.unique(),
              o.maxOutstanding(),
              o.deadlineMs(),
              o.queries(),
              Math.min(o.connections(), 2),
              0,
              null,
              null,
              0,
              false);
      if (o.connections() > 0) {
        runClosed(warm, "warmup-");
      } else {
        run(warm, "warmup-");
      }
    }
  }

  /**
   * Open-loop options with the defaults of {@link #parse}: {@code k=10}, up to 2,000 outstanding,
   * the built-in queries, the service's own deadline, no uploads.
   */
  static Options openLoop(
      URI base, double rate, int seconds, int warmupSeconds, String mode, boolean unique) {
    return new Options(
        base,
        rate,
        seconds,
        1_000_000,
        warmupSeconds,
        mode,
        10,
        unique,
        2000,
        null,
        QUERIES,
        0,
        0,
        null,
        null,
        0,
        false);
  }

  static Options parse(String[] args) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : args) {
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("arguments are --name=value; got '" + a + "'");
      }
      int eq = a.indexOf('=');
      m.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
    }
    URI base = URI.create(m.getOrDefault("url", "http://127.0.0.1:8080"));
    InetAddress host = InetAddress.getByName(base.getHost());
    if (!host.isLoopbackAddress()) {
      throw new IllegalArgumentException("--url must point at a loopback address; got " + base);
    }
    double rate = Double.parseDouble(m.getOrDefault("rate", "50"));
    int seconds = Integer.parseInt(m.getOrDefault("seconds", "30"));
    int requests = Integer.parseInt(m.getOrDefault("requests", "1000000"));
    int connections = Integer.parseInt(m.getOrDefault("connections", "0"));
    if (connections < 0 || connections > 10_000) {
      throw new IllegalArgumentException(
          "need connections in [0, 10000] (0 = open loop); got " + connections);
    }
    if (rate <= 0 || rate > 100_000 || seconds < 1 || seconds > 3600 || requests < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "need rate in (0, 100000], seconds in [1, 3600], requests >= 1; got %s, %d, %d",
              rate,
              seconds,
              requests));
    }
    List<String> queries = QUERIES;
    if (m.containsKey("queries")) {
      queries =
          Files.readAllLines(Path.of(m.get("queries"))).stream().filter(s -> !s.isBlank()).toList();
    }
    int uploadClients = Integer.parseInt(m.getOrDefault("upload-clients", "0"));
    if (uploadClients < 0 || uploadClients > 1000) {
      throw new IllegalArgumentException(
          "--upload-clients must be in [0, 1000]; got " + uploadClients);
    }
    Path uploadFile = m.containsKey("upload-file") ? Path.of(m.get("upload-file")) : null;
    if (uploadClients > 0 && (uploadFile == null || !Files.isRegularFile(uploadFile))) {
      throw new IllegalArgumentException(
          "--upload-clients needs --upload-file=<an image file>; got " + uploadFile);
    }
    return new Options(
        base,
        rate,
        seconds,
        requests,
        Integer.parseInt(m.getOrDefault("warmup", "5")),
        m.getOrDefault("mode", "hybrid"),
        Integer.parseInt(m.getOrDefault("k", "10")),
        Boolean.parseBoolean(m.getOrDefault("unique", "false")),
        Integer.parseInt(m.getOrDefault("max-outstanding", "2000")),
        m.get("deadline-ms"),
        queries,
        Integer.parseInt(m.getOrDefault("connections", "0")),
        uploadClients,
        uploadFile,
        m.get("upload-deadline-ms"),
        Long.parseLong(m.getOrDefault("upload-pause-ms", "0")),
        Boolean.parseBoolean(m.getOrDefault("upload-retry-after", "false")));
  }

  /** Runs one constant-rate phase and returns its summary. */
  static Map<String, Object> run(Options o, String prefix) throws InterruptedException {
    long total = Math.min(o.requests(), (long) Math.ceil(o.rate() * o.seconds()));
    int n = (int) Math.min(total, 20_000_000);
    long[] okLatency = new long[n];
    long[] shedLatency = new long[n];
    AtomicInteger okCount = new AtomicInteger();
    AtomicInteger shedCount = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger dropped = new AtomicInteger();
    AtomicLong degraded = new AtomicLong();
    Semaphore outstanding = new Semaphore(o.maxOutstanding());
    CountDownLatch done = new CountDownLatch(n);
    Random random = new Random(42);
    HttpClient client =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    long periodNanos = (long) (1e9 / o.rate());
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * periodNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!outstanding.tryAcquire()) {
        dropped.incrementAndGet();
        done.countDown();
        continue;
      }
      String q = o.queries().get(random.nextInt(o.queries().size()));
      if (o.unique()) {
        q = q + " " + prefix + "u" + i;
      }
      client
          .sendAsync(request(o, q), HttpResponse.BodyHandlers.ofString())
          .whenComplete(
              (r, e) -> {
                long latency = System.nanoTime() - due;
                try {
                  if (e != null) {
                    errors.incrementAndGet();
                  } else if (r.statusCode() == 200) {
                    okLatency[okCount.getAndIncrement()] = latency;
                    if (r.body().contains("\"degraded\":true")) {
                      degraded.incrementAndGet();
                    }
                  } else if (r.statusCode() == 503) {
                    shedLatency[shedCount.getAndIncrement()] = latency;
                  } else {
                    errors.incrementAndGet();
                  }
                } finally {
                  outstanding.release();
                  done.countDown();
                }
              });
    }
    long sendSeconds = System.nanoTime() - start;
    done.await(60, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    client.close();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", prefix.isEmpty() ? "measure" : "warmup");
    out.put("loop", "open");
    out.put("targetRate", o.rate());
    out.put("mode", o.mode());
    out.put("uniqueQueries", o.unique());
    out.put("sent", n - dropped.get());
    out.put("ok", okCount.get());
    out.put("degraded", degraded.get());
    out.put("shed", shedCount.get());
    out.put("errors", errors.get());
    out.put("dropped", dropped.get());
    out.put("achievedRate", round(n / (sendSeconds / 1e9)));
    out.put("okThroughput", round(okCount.get() / (elapsed / 1e9)));
    out.put("shedRate", round(n == 0 ? 0 : (double) shedCount.get() / n));
    out.put("okMs", percentiles(okLatency, okCount.get()));
    out.put("shedMs", percentiles(shedLatency, shedCount.get()));
    return out;
  }

  static HttpRequest request(Options o, String query) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                o.base()
                    .resolve(
                        "/v1/search?k="
                            + o.k()
                            + "&mode="
                            + o.mode()
                            + "&q="
                            + URLEncoder.encode(query, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(30))
            .GET();
    if (o.deadlineMs() != null) {
      b.header("X-Request-Deadline-Ms", o.deadlineMs());
    }
    return b.build();
  }

  /**
   * Runs one closed-loop phase: {@code connections} clients, each with one request outstanding,
   * until {@code seconds} have passed or {@code requests} were sent.
   */
  static Map<String, Object> runClosed(Options o, String prefix) throws InterruptedException {
    int cap = (int) Math.min(o.requests(), 5_000_000L);
    long[] okLatency = new long[cap];
    long[] shedLatency = new long[cap];
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger okCount = new AtomicInteger();
    AtomicInteger shedCount = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong degraded = new AtomicLong();
    HttpClient client =
        HttpClient.newBuilder()
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    long start = System.nanoTime();
    long end = start + o.seconds() * 1_000_000_000L;
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < o.connections(); c++) {
      Random random = new Random(42 + c);
      clients.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    int i;
                    while (System.nanoTime() < end && (i = sent.getAndIncrement()) < cap) {
                      String q = o.queries().get(random.nextInt(o.queries().size()));
                      if (o.unique()) {
                        q = q + " " + prefix + "c" + i;
                      }
                      long t0 = System.nanoTime();
                      try {
                        HttpResponse<String> r =
                            client.send(request(o, q), HttpResponse.BodyHandlers.ofString());
                        long latency = System.nanoTime() - t0;
                        if (r.statusCode() == 200) {
                          okLatency[okCount.getAndIncrement()] = latency;
                          if (r.body().contains("\"degraded\":true")) {
                            degraded.incrementAndGet();
                          }
                        } else if (r.statusCode() == 503) {
                          shedLatency[shedCount.getAndIncrement()] = latency;
                        } else {
                          errors.incrementAndGet();
                        }
                      } catch (IOException e) {
                        errors.incrementAndGet();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                    }
                  }));
    }
    for (Thread t : clients) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    client.close();
    int total = okCount.get() + shedCount.get() + errors.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phase", prefix.isEmpty() ? "measure" : "warmup");
    out.put("loop", "closed");
    out.put("connections", o.connections());
    out.put("mode", o.mode());
    out.put("uniqueQueries", o.unique());
    out.put("sent", total);
    out.put("ok", okCount.get());
    out.put("degraded", degraded.get());
    out.put("shed", shedCount.get());
    out.put("errors", errors.get());
    out.put("seconds", round(elapsed / 1e9));
    out.put("okThroughput", round(okCount.get() / (elapsed / 1e9)));
    out.put("shedRate", round(total == 0 ? 0 : (double) shedCount.get() / total));
    out.put("okMs", percentiles(okLatency, okCount.get()));
    out.put("shedMs", percentiles(shedLatency, shedCount.get()));
    return out;
  }

  static Map<String, Double> percentiles(long[] values, int count) {
    Map<String, Double> p = new LinkedHashMap<>();
    if (count == 0) {
      return p;
    }
    long[] v = Arrays.copyOf(values, count);
    Arrays.sort(v);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      int idx = (int) Math.min(count - 1, Math.ceil(q * count) - 1);
      p.put("p" + (int) Math.round(q * 100), round(v[Math.max(0, idx)] / 1e6));
    }
    p.put("max", round(v[count - 1] / 1e6));
    return p;
  }

  static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  static String toJson(Map<String, ?> m) {
    List<String> parts = new ArrayList<>();
    m.forEach(
        (k, v) -> {
          String value;
          if (v instanceof Map<?, ?> inner) {
            @SuppressWarnings("unchecked")
            Map<String, ?> cast = (Map<String, ?>) inner;
            value = toJson(cast);
          } else if (v instanceof String s) {
            value = "\"" + s + "\"";
          } else {
            value = String.valueOf(v);
          }
          parts.add("\"" + k + "\":" + value);
        });
    return "{" + String.join(",", parts) + "}";
  }
}
