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
 * response timeouts of {@link ConnectionConfig} on every call, and its {@link ClusterSecurity}:
 * basic auth (answering the cluster's challenge) and a trust store for {@code https://} hosts.
 * Bodies are Jackson trees; errors become {@link EngineException} with the status and the engine's
 * reason. Thread-safe.
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

  /**
   * Connects (lazily) to the configured hosts, with the basic auth and the trust store of its
   * {@link ClusterSecurity} (the one way to authenticate: the indexer and the service both build a
   * {@link ConnectionConfig}).
   *
   * @throws IllegalArgumentException naming the trust store when it cannot be read
   */
  public static EngineClient connect(ConnectionConfig config) {
    HttpHost[] hosts =
        config.hosts().stream()
            .map(u -> new HttpHost(u.getScheme(), u.getHost(), u.getPort()))
            .toArray(HttpHost[]::new);
    Timeout connect = Timeout.of(config.connectTimeout());
    Timeout response = Timeout.of(config.requestTimeout());
    ApacheHttpClient5TransportBuilder builder =
        ApacheHttpClient5TransportBuilder.builder(hosts)
            .setConnectionConfigCallback(b -> b.setConnectTimeout(connect))
            .setRequestConfigCallback(
                b -> b.setResponseTimeout(response).setConnectionRequestTimeout(connect));
    ClusterSecurity security = config.security();
    if (security.basicAuth() || security.trustStore() != null) {
      BasicCredentialsProvider credentials = new BasicCredentialsProvider();
      if (security.basicAuth()) {
        for (HttpHost h : hosts) {
          credentials.setCredentials(
              new AuthScope(h),
              new UsernamePasswordCredentials(security.username(), security.password().reveal()));
        }
      }
      SSLContext ssl =
          security.trustStore() == null
              ? null
              : TrustMaterial.sslContext(security.trustStore(), security.trustStorePassword());
      builder.setHttpClientConfigCallback(
          b -> {
            b.setDefaultCredentialsProvider(credentials);
            if (ssl != null) {
              // a connection manager of our own: the builder's would not see the trust store
              b.setConnectionManager(
                  PoolingAsyncClientConnectionManagerBuilder.create()
                      .setTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(ssl).build())
                      .setDefaultConnectionConfig(
                          org.apache.hc.client5.http.config.ConnectionConfig.custom()
                              .setConnectTimeout(connect)
                              .build())
                      .setMaxConnPerRoute(
                          ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_PER_ROUTE)
                      .setMaxConnTotal(ApacheHttpClient5TransportBuilder.DEFAULT_MAX_CONN_TOTAL)
                      .build());
            }
            return b;
          });
    }
    return new EngineClient(builder.build(), config);
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
      throw failed("HEAD", path, e);
    }
  }

  /**
   * The exception of a call that got no response object: the transport answers a 401 with an {@link
   * IOException} ("Unauthorized access") instead of a response, so that one gets status 401 and a
   * message that says so; anything else is status 0 (no answer).
   */
  private static EngineException failed(String method, String path, IOException e) {
    int status = UNAUTHORIZED.equals(e.getMessage()) ? 401 : 0;
    String answered = status == 0 ? " failed: " : " answered 401 (credentials refused): ";
    return new EngineException(status, method + " " + path + answered + e, e);
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
      throw failed(method, path, e);
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
