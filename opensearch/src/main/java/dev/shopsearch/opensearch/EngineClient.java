package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Options;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * JSON over HTTP to OpenSearch through opensearch-java's generic client, with the connect and
 * response timeouts of {@link ConnectionConfig} on every call. Bodies are Jackson trees; errors
 * become {@link EngineException} with the status and the engine's reason. Thread-safe.
 */
public final class EngineClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The message of the transport's exception for an HTTP 401. */
  private static final String UNAUTHORIZED = "Unauthorized access";

  private final ApacheHttpClient5Transport transport;
  private final OpenSearchGenericClient client;
  private final ConnectionConfig config;

  private EngineClient(ApacheHttpClient5Transport transport, ConnectionConfig config) {
    this.transport = transport;
    this.client = new OpenSearchClient(transport).generic();
    this.config = config;
  }

  /** Connects (lazily) to the configured hosts. */
  public static EngineClient connect(ConnectionConfig config) {
    return connect(config, null);
  }

  /**
   * Connects (lazily) to the configured hosts, answering their basic-auth challenge with {@code
   * auth} (null: no credentials).
   */
  public static EngineClient connect(ConnectionConfig config, BasicAuth auth) {
    return connect(config, auth, null);
  }

  /**
   * Connects (lazily) to the configured hosts with basic auth (or null) and, for {@code https}
   * hosts, {@code tls} as the trust (null: the JVM's default trust store).
   */
  public static EngineClient connect(ConnectionConfig config, BasicAuth auth, SSLContext tls) {
    HttpHost[] hosts =
        config.hosts().stream()
            .map(u -> new HttpHost(u.getScheme(), u.getHost(), u.getPort()))
            .toArray(HttpHost[]::new);
    Timeout connect = Timeout.of(config.connectTimeout());
    Timeout response = Timeout.of(config.requestTimeout());
    ApacheHttpClient5Transport transport =
        ApacheHttpClient5TransportBuilder.builder(hosts)
            .setConnectionConfigCallback(b -> b.setConnectTimeout(connect))
            .setRequestConfigCallback(
                b -> b.setResponseTimeout(response).setConnectionRequestTimeout(connect))
            .setHttpClientConfigCallback(
                b -> {
                  if (auth != null) {
                    b.setDefaultCredentialsProvider(credentials(hosts, auth));
                  }
                  if (tls != null) {
                    // replaces the transport's manager (default trust), same limits and timeout
                    b.setConnectionManager(
                        PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(
                                ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_PER_ROUTE)
                            .setMaxConnTotal(
                                ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_TOTAL)
                            .setDefaultConnectionConfig(
                                org.apache.hc.client5.http.config.ConnectionConfig.custom()
                                    .setConnectTimeout(connect)
                                    .build())
                            .setTlsStrategy(
                                ClientTlsStrategyBuilder.create().setSslContext(tls).build())
                            .build());
                  }
                  return b;
                })
            .build();
    return new EngineClient(transport, config);
  }

  private static BasicCredentialsProvider credentials(HttpHost[] hosts, BasicAuth auth) {
    BasicCredentialsProvider provider = new BasicCredentialsProvider();
    for (HttpHost h : hosts) {
      provider.setCredentials(
          new AuthScope(h),
          new UsernamePasswordCredentials(auth.username(), auth.password().toCharArray()));
    }
    return provider;
  }

  /** The shared Jackson mapper (for building bodies). */
  public static ObjectMapper json() {
    return JSON;
  }

  /**
   * One call with a JSON body (or none).
   *
   * @return the parsed answer (an empty object when there is no body)
   * @throws EngineException on an HTTP status >= 400 or an I/O failure (including timeouts)
   */
  public JsonNode call(String method, String path, JsonNode body) {
    return send(client, method, path, body == null ? null : body.toString(), "application/json");
  }

  /**
   * {@link #call(String, String, JsonNode)} with this call's response timeout lowered to {@code
   * timeout} (a query's time left; never above the configured request timeout): an engine that has
   * not answered by then is abandoned and the call fails like any timeout.
   */
  public JsonNode call(String method, String path, JsonNode body, Duration timeout) {
    Duration t = timeout.compareTo(config.requestTimeout()) < 0 ? timeout : config.requestTimeout();
    RequestConfig request =
        RequestConfig.custom()
            .setResponseTimeout(Timeout.of(t.isNegative() || t.isZero() ? Duration.ofMillis(1) : t))
            .setConnectionRequestTimeout(Timeout.of(config.connectTimeout()))
            .build();
    OpenSearchGenericClient bounded =
        client.withTransportOptions(
            ApacheHttpClient5Options.DEFAULT.toBuilder().setRequestConfig(request).build());
    return send(bounded, method, path, body == null ? null : body.toString(), "application/json");
  }

  /** A {@code _bulk} style call with an NDJSON body. */
  public JsonNode ndjson(String path, String ndjson) {
    return send(client, "POST", path, ndjson, "application/x-ndjson");
  }

  /** Whether {@code HEAD path} answers 200 (e.g. an index or alias exists). */
  public boolean exists(String path) {
    try (Response r = client.execute(Requests.builder().method("HEAD").endpoint(path).build())) {
      return r.getStatus() == 200;
    } catch (IOException e) {
      throw new EngineException(0, "HEAD " + path + " failed: " + e, e);
    }
  }

  private static JsonNode send(
      OpenSearchGenericClient client, String method, String path, String body, String contentType) {
    Requests.JsonBodyBuilder request = Requests.builder().method(method).endpoint(path);
    if (body != null) {
      request.body(Body.from(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), contentType));
    }
    try (Response r = client.execute(request.build())) {
      Optional<Body> answer = r.getBody();
      String text = answer.map(Body::bodyAsString).orElse("");
      if (r.getStatus() >= 400) {
        throw new EngineException(
            r.getStatus(),
            String.format(
                Locale.ROOT,
                "%s %s answered %d: %s",
                method,
                path,
                r.getStatus(),
                text.length() > 2000 ? text.substring(0, 2000) + "..." : text),
            null);
      }
      return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      // the transport answers a 401 with this exception instead of a response
      int status = UNAUTHORIZED.equals(e.getMessage()) ? 401 : 0;
      throw new EngineException(status, method + " " + path + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      transport.close();
    } catch (IOException e) {
      // closing a client: nothing left to do
    }
  }
}
