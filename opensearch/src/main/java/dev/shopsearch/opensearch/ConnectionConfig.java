package dev.shopsearch.opensearch;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach the cluster.
 *
 * @param hosts HTTP endpoints of one or more nodes ({@code http://host:port})
 * @param connectTimeout TCP connect timeout of every call
 * @param requestTimeout response timeout of every call (no call may hang longer)
 * @param security basic auth and trusted CAs ({@link ClusterSecurity#NONE}: neither); its {@code
 *     toString} hides the passwords
 */
public record ConnectionConfig(
    List<URI> hosts, Duration connectTimeout, Duration requestTimeout, ClusterSecurity security) {
  /** Without authentication, trusting the JVM's CAs. */
  public ConnectionConfig(List<URI> hosts, Duration connectTimeout, Duration requestTimeout) {
    this(hosts, connectTimeout, requestTimeout, ClusterSecurity.NONE);
  }

  public ConnectionConfig {
    Objects.requireNonNull(hosts, "hosts");
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one OpenSearch host is required");
    }
    hosts = List.copyOf(hosts);
    for (URI h : hosts) {
      if (h.getHost() == null
          || h.getPort() < 0
          || !("http".equals(h.getScheme()) || "https".equals(h.getScheme()))) {
        throw new IllegalArgumentException(
            "OpenSearch host must look like http://host:port or https://host:port; host=" + h);
      }
      if (h.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "OpenSearch host must not carry credentials (use a username and a password file or"
                + " env variable); host="
                + h.getScheme()
                + "://"
                + h.getHost()
                + ":"
                + h.getPort());
      }
    }
    security = security == null ? ClusterSecurity.NONE : security;
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be > 0; " + name + "=" + d);
    }
  }
}
