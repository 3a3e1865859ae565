package dev.shopsearch.bench;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures a service's cold start from outside: time from the service process's start until
 * readiness says UP, then the latency and status of the first queries after that — sequential text
 * searches (unique texts, so no cache hits), then optional photo uploads.
 *
 * <pre>
 * java -jar service.jar ... &amp;  SERVICE_PID=$!
 * java -cp bench/target/classes dev.shopsearch.bench.ColdStart --pid=$SERVICE_PID \
 *   --url=http://127.0.0.1:18080 --management=http://127.0.0.1:18081 --queries=20 \
 *   [--mode=hybrid] [--photo=path/to/photo.jpg --photos=5] [--text-deadline-ms=100]
 *   [--photo-deadline-ms=500] [--rounds=2]
 * </pre>
 *
 * <p>{@code --rounds=2} sends the same queries (new unique texts) once more right after the first
 * round and summarises that round separately ({@code round2…}): what the first round loses to the
 * cold start, not to the machine, is the difference between the two.
 *
 * <p>{@code --text-deadline-ms} / {@code --photo-deadline-ms} send {@code X-Request-Deadline-Ms}
 * with the text searches / the uploads (a header can only tighten the service's deadline: start the
 * service with the longer of the two).
 *
 * <p>Prints one JSON line: timeToReadyMs, the per-query status and ms (client side, from send to
 * answer), the server-side total of each, and a summary.
 */
public final class ColdStart {
  private static final Pattern TOTAL = Pattern.compile("\"total\":([0-9.]+)");

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> m = BenchSetup.flags(args, 0);
    URI base = loopback(m.getOrDefault("url", "http://127.0.0.1:8080"));
    URI management = loopback(m.getOrDefault("management", "http://127.0.0.1:8081"));
    int queries = Integer.parseInt(m.getOrDefault("queries", "20"));
    int photos = Integer.parseInt(m.getOrDefault("photos", "0"));
    int rounds = Integer.parseInt(m.getOrDefault("rounds", "1"));
    if (rounds < 1 || rounds > 100) {
      throw new IllegalArgumentException("--rounds must be in [1, 100]; got " + rounds);
    }
    String mode = m.getOrDefault("mode", "hybrid");
    long timeoutMs = Long.parseLong(m.getOrDefault("timeout-ms", "600000"));
    String textDeadline = m.get("text-deadline-ms");
    String photoDeadline = m.get("photo-deadline-ms");
    Instant started =
        m.containsKey("pid")
            ? ProcessHandle.of(Long.parseLong(m.get("pid")))
                .flatMap(p -> p.info().startInstant())
                .orElseThrow(() -> new IllegalArgumentException("no such process: " + m.get("pid")))
            : Instant.now();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    HttpRequest readiness =
        HttpRequest.newBuilder(management.resolve("/actuator/health/readiness"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long readyAtMs = -1;
    while (Duration.between(started, Instant.now()).toMillis() < timeoutMs) {
      try {
        if (client.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          readyAtMs = Duration.between(started, Instant.now()).toMillis();
          break;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    if (readyAtMs < 0) {
      throw new IllegalStateException("not ready within " + timeoutMs + " ms");
    }

    byte[] body = null;
    String boundary = "----coldstart" + System.nanoTime();
    if (photos > 0) {
      body = multipart(boundary, Files.readAllBytes(Path.of(m.get("photo"))));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      for (int i = 0; i < queries; i++) {
        String q =
            LoadDriver.QUERIES.get(i % LoadDriver.QUERIES.size()) + " cold" + round + "x" + i;
        HttpRequest.Builder r =
            HttpRequest.newBuilder(
                    base.resolve(
                        "/v1/search?k=10&mode="
                            + mode
                            + "&q="
                            + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30));
        results.add(timed(round, "text", client, withDeadline(r, textDeadline)));
      }
      for (int i = 0; i < photos; i++) {
        HttpRequest.Builder r =
            HttpRequest.newBuilder(base.resolve("/v1/search/image?k=10"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        results.add(timed(round, "photo", client, withDeadline(r, photoDeadline)));
      }
    }
    client.close();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("timeToReadyMs", readyAtMs);
    out.put("mode", mode);
    out.put("textDeadlineMs", textDeadline == null ? "service default" : textDeadline);
    out.put("photoDeadlineMs", photoDeadline == null ? "service default" : photoDeadline);
    for (int round = 1; round <= rounds; round++) {
      // round 1: the first queries after readiness; later rounds: the same again, right after
      String prefix = round == 1 ? "" : "round" + round;
      for (String kind : List.of("text", "photo")) {
        int inRound = round;
        List<Map<String, Object>> of =
            results.stream()
                .filter(x -> x.get("kind").equals(kind) && (int) x.get("round") == inRound)
                .toList();
        if (of.isEmpty()) {
          continue;
        }
        long non200 = of.stream().filter(x -> (int) x.get("status") != 200).count();
        List<Double> ms = of.stream().map(x -> (Double) x.get("ms")).sorted().toList();
        String k =
            prefix.isEmpty()
                ? kind
                : prefix + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
        out.put(k + "Count", of.size());
        out.put(k + "Non200", non200);
        out.put(k + "MedianMs", ms.get(ms.size() / 2));
        out.put(k + "MaxMs", ms.get(ms.size() - 1));
        out.put(k + "FirstMs", of.get(0).get("ms"));
      }
    }
    List<String> each = new ArrayList<>();
    for (Map<String, Object> x : results) {
      each.add(
          String.format(
              Locale.ROOT,
              "{\"round\":%d,\"kind\":\"%s\",\"status\":%d,\"ms\":%.1f,\"serverMs\":%s}",
              (int) x.get("round"),
              x.get("kind"),
              (int) x.get("status"),
              (double) x.get("ms"),
              x.get("serverMs")));
    }
    System.out.println(LoadDriver.toJson(out).replaceFirst("}$", ",\"queries\":" + each + "}"));
  }

  private static HttpRequest withDeadline(HttpRequest.Builder r, String deadlineMs) {
    if (deadlineMs != null) {
      r.header("X-Request-Deadline-Ms", deadlineMs);
    }
    return r.build();
  }

  private static Map<String, Object> timed(int round, String kind, HttpClient client, HttpRequest r)
      throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> res = client.send(r, HttpResponse.BodyHandlers.ofString());
    double ms = (System.nanoTime() - t0) / 1e6;
    Matcher total = TOTAL.matcher(res.body());
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("round", round);
    x.put("kind", kind);
    x.put("status", res.statusCode());
    x.put("ms", Math.round(ms * 10) / 10.0);
    x.put("serverMs", total.find() ? total.group(1) : "null");
    return x;
  }

  private static byte[] multipart(String boundary, byte[] jpeg) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"photo.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(jpeg);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static URI loopback(String url) throws Exception {
    URI u = URI.create(url);
    if (!InetAddress.getByName(u.getHost()).isLoopbackAddress()) {
      throw new IllegalArgumentException("URLs must point at a loopback address; got " + url);
    }
    return u;
  }
}
