package dev.shopsearch.core.fetch;

import dev.shopsearch.core.fetch.FetchException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches http(s) URLs with {@link HttpClient} under {@link FetchOptions} (package-private).
 *
 * <p>Per fetch: (1) check the URL's scheme, host allow-list and every address the host resolves to;
 * (2) send the request, retrying a 5xx/429 status, a timeout or an I/O error with exponential
 * backoff; (3) on a 3xx with Location, resolve the target and go back to (1), at most {@code
 * maxRedirects} times; (4) return the body, read through {@link CappedBodySubscriber}.
 *
 * <p>Residual risk: the client resolves the host again when connecting, so a DNS server that
 * answers differently within milliseconds (DNS rebinding) is not caught; no proxy is ever used.
 * Thread-safe: {@link HttpClient} is, and this class holds no other mutable state.
 */
final class HttpImageFetcher implements AutoCloseable {

  /** Says why an address must not be contacted, or {@code null} when it may be. */
  @FunctionalInterface
  interface AddressFilter {
    String forbiddenBecause(InetAddress address);
  }

  private static final long MAX_BACKOFF_MS = 10_000;

  private final FetchOptions options;
  private final AddressFilter filter;
  private final HttpClient client;

  HttpImageFetcher(FetchOptions options, AddressFilter filter) {
    this.options = options;
    this.filter = filter;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(options.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
  }

  FetchedImage fetch(String reference, URI start) throws FetchException {
    URI uri = start;
    for (int redirects = 0; ; redirects++) {
      checkTarget(reference, uri);
      Hop hop = withRetries(reference, uri);
      if (hop.redirect() == null) {
        return new FetchedImage(reference, uri.toString(), hop.contentType(), hop.body());
      }
      if (redirects == options.maxRedirects()) {
        throw new FetchException(
            Reason.TOO_MANY_REDIRECTS,
            reference,
            String.format(
                Locale.ROOT,
                "'%s': more than the limit of %d redirects (last to %s)",
                reference,
                options.maxRedirects(),
                hop.redirect()));
      }
      uri = hop.redirect();
    }
  }

  private record Hop(byte[] body, String contentType, URI redirect) {}

  /** Step (1): scheme, allow-list, resolved addresses. */
  private void checkTarget(String reference, URI uri) throws FetchException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException(
          Reason.BAD_REFERENCE, reference, "'" + uri + "' is not an http(s) URL");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new FetchException(Reason.BAD_REFERENCE, reference, "'" + uri + "' has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!options.hostAllowed(host)) {
      throw new FetchException(
          Reason.FORBIDDEN_HOST,
          reference,
          String.format(
              Locale.ROOT,
              "host '%s' of %s is not in the allowed hosts %s",
              host,
              uri,
              options.allowedHosts()));
    }
    if (filter == null) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new FetchException(Reason.IO, reference, "cannot resolve host '" + host + "'", -1, e);
    }
    for (InetAddress address : addresses) {
      String why = filter.forbiddenBecause(address);
      if (why != null) {
        throw new FetchException(
            Reason.FORBIDDEN_ADDRESS,
            reference,
            String.format(
                Locale.ROOT,
                "host '%s' of %s resolves to %s (%s); private addresses are not allowed",
                host,
                uri,
                address.getHostAddress(),
                why));
      }
    }
  }

  /** Step (2). */
  private Hop withRetries(String reference, URI uri) throws FetchException {
    FetchException last = null;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      if (attempt > 1) {
        pause(reference, attempt);
      }
      try {
        return once(reference, uri);
      } catch (FetchException e) {
        if (!retryable(e)) {
          throw e;
        }
        last = e;
      }
    }
    if (options.maxAttempts() == 1) {
      throw last;
    }
    throw new FetchException(
        last.reason(),
        reference,
        last.getMessage() + " (after " + options.maxAttempts() + " attempts)",
        last.statusCode(),
        last.getCause());
  }

  private static boolean retryable(FetchException e) {
    return switch (e.reason()) {
      case TIMEOUT, IO -> true;
      case HTTP_STATUS -> e.statusCode() >= 500 || e.statusCode() == 429;
      default -> false;
    };
  }

  private void pause(String reference, int attempt) throws FetchException {
    long ms =
        Math.min(MAX_BACKOFF_MS, options.initialBackoff().toMillis() << Math.min(attempt - 2, 20));
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.IO, reference, "interrupted while retrying", -1, e);
    }
  }

  private Hop once(String reference, URI uri) throws FetchException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(options.readTimeout())
            .header("User-Agent", options.userAgent())
            .header("Accept", "image/*, */*;q=0.5")
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, this::subscriber);
    long deadlineMs = options.connectTimeout().toMillis() + options.readTimeout().toMillis();
    HttpResponse<byte[]> response;
    try {
      response = future.get(deadlineMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout(reference, uri, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.IO, reference, "interrupted while fetching " + uri, -1, e);
    } catch (ExecutionException e) {
      throw failure(reference, uri, e.getCause());
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      String type = response.headers().firstValue("Content-Type").orElse(null);
      return new Hop(response.body(), type, null);
    }
    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
      String location = response.headers().firstValue("Location").orElse(null);
      if (location == null) {
        throw new FetchException(
            Reason.HTTP_STATUS, reference, uri + " answered " + status + " without Location");
      }
      try {
        return new Hop(null, null, uri.resolve(ImageSource.toUri(location)));
      } catch (IllegalArgumentException e) {
        throw new FetchException(
            Reason.BAD_REFERENCE, reference, "bad redirect Location '" + location + "'", -1, e);
      }
    }
    Reason reason = status == 404 || status == 410 ? Reason.NOT_FOUND : Reason.HTTP_STATUS;
    throw new FetchException(reason, reference, uri + " answered HTTP " + status, status, null);
  }

  private HttpResponse.BodySubscriber<byte[]> subscriber(HttpResponse.ResponseInfo info) {
    int status = info.statusCode();
    if (status < 200 || status >= 300) {
      return HttpResponse.BodySubscribers.replacing(null);
    }
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return new CappedBodySubscriber(options.maxBytes(), declared);
  }

  private FetchException timeout(String reference, URI uri, Throwable cause) {
    return new FetchException(
        Reason.TIMEOUT,
        reference,
        String.format(
            Locale.ROOT,
            "%s did not answer within connect %s + read %s",
            uri,
            options.connectTimeout(),
            options.readTimeout()),
        -1,
        cause);
  }

  private FetchException failure(String reference, URI uri, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CappedBodySubscriber.TooLargeException) {
        return new FetchException(
            Reason.TOO_LARGE, reference, uri + ": " + t.getMessage(), -1, cause);
      }
      if (t instanceof HttpTimeoutException) {
        return timeout(reference, uri, cause);
      }
    }
    String what = cause instanceof IOException ? "I/O error" : "failure";
    return new FetchException(
        Reason.IO,
        reference,
        String.format(Locale.ROOT, "%s fetching %s: %s", what, uri, cause),
        -1,
        cause);
  }

  @Override
  public void close() {
    client.close();
  }
}
