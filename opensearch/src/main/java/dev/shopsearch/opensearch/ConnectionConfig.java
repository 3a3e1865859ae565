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
 */
public record ConnectionConfig(List<URI> hosts, Duration connectTimeout, Duration requestTimeout) {
  public ConnectionConfig {
    Objects.requireNonNull(hosts, "hosts");
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one OpenSearch host is required");
    }
    hosts = List.copyOf(hosts);
    for (URI h : hosts) {
      if (h.getHost() == null || h.getPort() < 0 || h.getScheme() == null) {
        throw new IllegalArgumentException(
            "OpenSearch host must look like http://host:port; host=" + h);
      }
    }
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
