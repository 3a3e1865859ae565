package dev.shopsearch.core.fetch;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How {@link ImageSource} fetches images.
 *
 * @param connectTimeout TCP/TLS connect timeout per attempt, (0, 5 min]
 * @param readTimeout time allowed per attempt to receive the whole response (headers and body) once
 *     the request is sent, (0, 10 min]
 * @param maxAttempts attempts per request, 1 to 10; a 5xx/429 status, a timeout or an I/O error is
 *     retried, nothing else
 * @param initialBackoff pause before the second attempt, doubled before each further one (capped at
 *     10 s), [0, 1 min]
 * @param maxBytes largest image accepted, 1 B to 1 GiB; reading stops as soon as it is exceeded
 * @param maxRedirects redirects followed per fetch, 0 to 20; every hop is checked again
 * @param allowedHosts when non-empty, the only hosts (case-insensitive) URLs may name; an entry
 *     starting with a dot ({@code .cdn.example.com}) allows that domain and its subdomains.
 *     Allowing a host does not allow a private address.
 * @param allowPrivateAddresses allow URLs whose host resolves to loopback, private (site-local,
 *     unique-local, carrier-grade NAT), link-local, multicast or unspecified addresses. {@code
 *     false} by default (SSRF protection); tests against 127.0.0.1 set it.
 * @param userAgent the User-Agent header
 */
public record FetchOptions(
    Duration connectTimeout,
    Duration readTimeout,
    int maxAttempts,
    Duration initialBackoff,
    long maxBytes,
    int maxRedirects,
    Set<String> allowedHosts,
    boolean allowPrivateAddresses,
    String userAgent) {

  /** Default {@link #maxBytes()}: 20 MiB. */
  public static final long DEFAULT_MAX_BYTES = 20L << 20;

  /** Largest allowed {@link #maxBytes()}: 1 GiB. */
  public static final long MAX_MAX_BYTES = 1L << 30;

  public FetchOptions {
    check("connectTimeout", connectTimeout, Duration.ofMinutes(5), false);
    check("readTimeout", readTimeout, Duration.ofMinutes(10), false);
    check("initialBackoff", initialBackoff, Duration.ofMinutes(1), true);
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException(
          "maxAttempts must be in [1, 10]; maxAttempts=" + maxAttempts);
    }
    if (maxBytes < 1 || maxBytes > MAX_MAX_BYTES) {
      throw new IllegalArgumentException(
          "maxBytes must be in [1, " + MAX_MAX_BYTES + "]; maxBytes=" + maxBytes);
    }
    if (maxRedirects < 0 || maxRedirects > 20) {
      throw new IllegalArgumentException(
          "maxRedirects must be in [0, 20]; maxRedirects=" + maxRedirects);
    }
    TreeSet<String> hosts = new TreeSet<>();
    if (allowedHosts != null) {
      for (String h : allowedHosts) {
        if (h == null || h.isBlank() || h.strip().equals(".")) {
          throw new IllegalArgumentException(
              "allowedHosts must not contain a blank entry; allowedHosts=" + allowedHosts);
        }
        hosts.add(h.strip().toLowerCase(Locale.ROOT));
      }
    }
    allowedHosts = Set.copyOf(hosts);
    userAgent = userAgent == null || userAgent.isBlank() ? "shopsearch-image-fetch" : userAgent;
  }

  private static void check(String name, Duration value, Duration max, boolean zeroAllowed) {
    if (value == null
        || value.isNegative()
        || (!zeroAllowed && value.isZero())
        || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s must be in %s0, %s]; %s=%s",
              name,
              zeroAllowed ? "[" : "(",
              max,
              name,
              value));
    }
  }

  /**
   * Connect 5 s, read 20 s, 3 attempts from 250 ms backoff, 20 MiB, 5 redirects, any public host,
   * no private addresses.
   */
  public static FetchOptions defaults() {
    return new FetchOptions(
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        3,
        Duration.ofMillis(250),
        DEFAULT_MAX_BYTES,
        5,
        Set.of(),
        false,
        null);
  }

  public FetchOptions withTimeouts(Duration connect, Duration read) {
    return new FetchOptions(
        connect,
        read,
        maxAttempts,
        initialBackoff,
        maxBytes,
        maxRedirects,
        allowedHosts,
        allowPrivateAddresses,
        userAgent);
  }

  public FetchOptions withRetries(int attempts, Duration backoff) {
    return new FetchOptions(
        connectTimeout,
        readTimeout,
        attempts,
        backoff,
        maxBytes,
        maxRedirects,
        allowedHosts,
        allowPrivateAddresses,
        userAgent);
  }

  public FetchOptions withMaxBytes(long bytes) {
    return new FetchOptions(
        connectTimeout,
        readTimeout,
        maxAttempts,
        initialBackoff,
        bytes,
        maxRedirects,
        allowedHosts,
        allowPrivateAddresses,
        userAgent);
  }

  public FetchOptions withMaxRedirects(int redirects) {
    return new FetchOptions(
        connectTimeout,
        readTimeout,
        maxAttempts,
        initialBackoff,
        maxBytes,
        redirects,
        allowedHosts,
        allowPrivateAddresses,
        userAgent);
  }

  public FetchOptions withAllowedHosts(Set<String> hosts) {
    return new FetchOptions(
        connectTimeout,
        readTimeout,
        maxAttempts,
        initialBackoff,
        maxBytes,
        maxRedirects,
        hosts,
        allowPrivateAddresses,
        userAgent);
  }

  public FetchOptions withAllowPrivateAddresses(boolean allow) {
    return new FetchOptions(
        connectTimeout,
        readTimeout,
        maxAttempts,
        initialBackoff,
        maxBytes,
        maxRedirects,
        allowedHosts,
        allow,
        userAgent);
  }

  /** Whether {@code host} passes {@link #allowedHosts()} (always, when that is empty). */
  public boolean hostAllowed(String host) {
    if (allowedHosts.isEmpty()) {
      return true;
    }
    String h = host.toLowerCase(Locale.ROOT);
    for (String entry : allowedHosts) {
      if (entry.startsWith(".")
          ? h.endsWith(entry) || h.equals(entry.substring(1))
          : h.equals(entry)) {
        return true;
      }
    }
    return false;
  }
}
