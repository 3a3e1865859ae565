package dev.shopsearch.service.warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The warm-up's last step: a few real HTTP requests to the service's own API port, so that the
 * first users do not pay for the web layer's first-request work either (handler and argument
 * resolution, message converters, JSON serialisers of results and of problem details, multipart
 * parsing). They are ordinary requests with the ordinary deadline.
 */
final class LoopbackRequests {
  private final URI base;
  private final HttpClient client;

  /**
   * @param base {@code http://host:port/context-path/} of the API server
   */
  LoopbackRequests(URI base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The requests of round {@code i} (every endpoint kind once). */
  List<HttpRequest> round(int i, byte[] jpeg) {
    List<HttpRequest> out = new ArrayList<>();
    out.add(get("v1/info"));
    out.add(get("v1/search?k=10&mode=hybrid&q=" + q("warmup http " + i + " red dress")));
    out.add(get("v1/search?k=10&mode=vector&colour=red&q=" + q("warmup http " + i + " shirt")));
    out.add(
        HttpRequest.newBuilder(base.resolve("v1/search"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"q\":\"warmup http " + i + " coat\",\"mode\":\"lexical\",\"k\":5}"))
            .build());
    out.add(get("v1/search?k=0&q=bad")); // a 400 problem detail
    if (jpeg != null) {
      String boundary = "----warmup" + i;
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"w.jpg\"\r\n"
                  + "Content-Type: image/jpeg\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(jpeg);
      body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
      out.add(
          HttpRequest.newBuilder(base.resolve("v1/search/image?k=10"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
              .build());
    }
    return out;
  }

  /**
   * Sends one request.
   *
   * @return its HTTP status
   * @throws IOException if the server cannot be reached
   */
  int send(HttpRequest r) throws IOException, InterruptedException {
    return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build();
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  void close() {
    client.close();
  }
}
