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
    return fetch(reference, start, FetchBudget.NONE);
  }

  /** Like {@link #fetch(String, URI)}, with every attempt, hop and pause inside {@code budget}. */
  FetchedImage fetch(String reference, URI start, FetchBudget budget) throws FetchException {
    URI uri = start;
    for (int redirects = 0; ; redirects++) {
      checkTarget(reference, uri);
      Hop hop = withRetries(reference, uri, budget);
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
  private Hop withRetries(String reference, URI uri, FetchBudget budget) throws FetchException {
    FetchException last = null;
    int attempts = 0;
    for (int attempt = 1; attempt <= options.maxAttempts(); attempt++) {
      if (attempt > 1 && !pause(reference, attempt, budget)) {
        break; // the pause alone would spend what is left of the budget
      }
      attempts++;
      try {
        return once(reference, uri, budget);
      } catch (FetchException e) {
        if (!retryable(e)) {
          throw e;
        }
        last = e;
      }
    }
    if (attempts == 1) {
      throw last;
    }
    throw new FetchException(
        last.reason(),
        reference,
        last.getMessage() + " (after " + attempts + " attempts)",
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

  /** Sleeps before an attempt; false (without sleeping) when the budget cannot cover the pause. */
  private boolean pause(String reference, int attempt, FetchBudget budget) throws FetchException {
    long ms =
        Math.min(MAX_BACKOFF_MS, options.initialBackoff().toMillis() << Math.min(attempt - 2, 20));
    if (TimeUnit.MILLISECONDS.toNanos(ms) >= budget.leftNanos()) {
      return false;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.IO, reference, "interrupted while retrying", -1, e);
    }
    return true;
  }

  private Hop once(String reference, URI uri, FetchBudget budget) throws FetchException {
    if (budget.leftNanos() == 0) {
      throw new FetchException(
          Reason.TIMEOUT,
          reference,
          String.format(Locale.ROOT, "%s: the %d ms budget was spent", uri, budget.totalMillis()));
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(budget.cap(options.readTimeout()))
            .header("User-Agent", options.userAgent())
            .header("Accept", "image/*, */*;q=0.5")
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, this::subscriber);
    long waitNanos =
        Math.min(
            options.connectTimeout().plus(options.readTimeout()).toNanos(), budget.leftNanos());
    HttpResponse<byte[]> response;
    try {
      response = future.get(waitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timeout(reference, uri, e, budget);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.IO, reference, "interrupted while fetching " + uri, -1, e);
    } catch (ExecutionException e) {
      throw failure(reference, uri, e.getCause(), budget);
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

  private FetchException timeout(String reference, URI uri, Throwable cause, FetchBudget budget) {
    String message =
        budget.bounded() && budget.leftNanos() == 0
            ? String.format(
                Locale.ROOT,
                "%s did not answer within the %d ms budget of the fetch",
                uri,
                budget.totalMillis())
            : String.format(
                Locale.ROOT,
                "%s did not answer within connect %s + read %s",
                uri,
                options.connectTimeout(),
                options.readTimeout());
    return new FetchException(Reason.TIMEOUT, reference, message, -1, cause);
  }

  private FetchException failure(String reference, URI uri, Throwable cause, FetchBudget budget) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CappedBodySubscriber.TooLargeException) {
        return new FetchException(
            Reason.TOO_LARGE, reference, uri + ": " + t.getMessage(), -1, cause);
      }
      if (t instanceof HttpTimeoutException) {
        return timeout(reference, uri, cause, budget);
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
