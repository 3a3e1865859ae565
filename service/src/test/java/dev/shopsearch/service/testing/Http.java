package dev.shopsearch.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tiny real HTTP client for tests against 127.0.0.1. */
public final class Http {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  /** A response: status, headers, body and its JSON. */
  public record Response(int status, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    public String body() {
      return raw.body();
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Http(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public Response get(String path) {
    return get(path, Map.of());
  }

  public Response get(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    return send(b.GET().build());
  }

  public Response post(String path, String contentType, byte[] body) {
    return post(path, contentType, body, Map.of());
  }

  public Response post(String path, String contentType, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", contentType);
    headers.forEach(b::header);
    return send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
  }

  /** A multipart/form-data POST: one file part per entry of {@code files}, then text fields. */
  public Response postMultipart(
      String path, Map<String, byte[]> files, Map<String, String> fields) {
    return postMultipart(path, files, fields, Map.of());
  }

  /** {@link #postMultipart(String, Map, Map)} with extra request headers. */
  public Response postMultipart(
      String path,
      Map<String, byte[]> files,
      Map<String, String> fields,
      Map<String, String> headers) {
    String boundary = "----shopsearch" + System.nanoTime();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
    files.forEach(
        (name, bytes) -> {
          out.writeBytes(
              ("--"
                      + boundary
                      + "\r\nContent-Disposition: form-data; name=\""
                      + name
                      + "\"; filename=\""
                      + name
                      + ".bin\"\r\n"
                      + "Content-Type: application/octet-stream\r\n\r\n")
                  .getBytes(utf8));
          out.writeBytes(bytes);
          out.writeBytes("\r\n".getBytes(utf8));
        });
    fields.forEach(
        (name, value) ->
            out.writeBytes(
                ("--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + name
                        + "\"\r\n\r\n"
                        + value
                        + "\r\n")
                    .getBytes(utf8)));
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(utf8));
    return post(path, "multipart/form-data; boundary=" + boundary, out.toByteArray(), headers);
  }

  public Response postJson(String path, String json) {
    return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request.uri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * How long a test waits for readiness: warm-up runs dozens of searches before the service says
   * UP, and on a 2-core machine with other builds beside it that took over 20 s (CI, 2026-12-04).
   * Generous on purpose: a test waits only as long as the service needs.
   */
  public static final Duration READY_BUDGET = Duration.ofMinutes(3);

  /** Waits until readiness is UP on the management port, at most {@link #READY_BUDGET}. */
  public static void awaitReady(int managementPort) {
    awaitReady(managementPort, READY_BUDGET);
  }

  /** Waits until readiness is UP on the management port. */
  public static void awaitReady(int managementPort, Duration max) {
    Http m = new Http(managementPort);
    long end = System.nanoTime() + max.toNanos();
    Response last = null;
    while (System.nanoTime() < end) {
      last = m.get("/actuator/health/readiness");
      if (last.status() == 200) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("service not ready: " + (last == null ? "?" : last.body()));
  }
}
