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
 * Open-loop, constant-rate load driver for the search service on 127.0.0.1.
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
 * {@code --unique} appends a counter word to every query so that no two requests share a cached
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
    if (o.warmupSeconds() > 0) {
      run(
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
              0,
              null,
              null,
              0,
              false),
          "warmup-");
    }
    if (uploads != null) {
      uploads.reset();
    }
    Map<String, Object> result = run(o, "");
    if (uploads != null) {
      result.put("uploadClients", o.uploadClients());
      result.put("uploads", uploads.stop());
    }
    System.out.println(toJson(result));
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
      HttpRequest.Builder b =
          HttpRequest.newBuilder(
                  o.base()
                      .resolve(
                          "/v1/search?k="
                              + o.k()
                              + "&mode="
                              + o.mode()
                              + "&q="
                              + URLEncoder.encode(q, StandardCharsets.UTF_8)))
              .timeout(Duration.ofSeconds(30))
              .GET();
      if (o.deadlineMs() != null) {
        b.header("X-Request-Deadline-Ms", o.deadlineMs());
      }
      client
          .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
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
