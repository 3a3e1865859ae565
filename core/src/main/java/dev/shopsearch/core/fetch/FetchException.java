package dev.shopsearch.core.fetch;

import java.io.IOException;
import java.util.Objects;

/**
 * An image reference could not be turned into bytes. {@link #reason()} says why in a form callers
 * can act on (skip the image, answer 400/403/404/413/504, retry later); the message names the
 * reference, the value found and the limit.
 */
public final class FetchException extends IOException {

  /** Why a fetch failed. */
  public enum Reason {
    /** The file does not exist / the server answered 404 or 410. */
    NOT_FOUND,
    /** The image is larger than {@link FetchOptions#maxBytes()}. */
    TOO_LARGE,
    /** A URL (or a redirect hop) resolves to a loopback, private, link-local... address. */
    FORBIDDEN_ADDRESS,
    /** A URL (or a redirect hop) names a host outside {@link FetchOptions#allowedHosts()}. */
    FORBIDDEN_HOST,
    /** A local path leaves the catalog root ({@code ..}, an absolute path, a symlink). */
    PATH_ESCAPE,
    /** The server answered a status other than 2xx, 3xx-with-Location, 404 or 410. */
    HTTP_STATUS,
    /** Connecting or receiving the response took longer than the configured timeout. */
    TIMEOUT,
    /** More redirects than {@link FetchOptions#maxRedirects()}. */
    TOO_MANY_REDIRECTS,
    /** The reference is not a usable path or http(s) URL (bad syntax, other scheme, blank). */
    BAD_REFERENCE,
    /** Another I/O failure (connection refused, reset, DNS failure, unreadable file). */
    IO
  }

  private final Reason reason;
  private final String reference;
  private final int statusCode;

  public FetchException(Reason reason, String reference, String message) {
    this(reason, reference, message, -1, null);
  }

  public FetchException(
      Reason reason, String reference, String message, int statusCode, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.reference = reference;
    this.statusCode = statusCode;
  }

  public Reason reason() {
    return reason;
  }

  /** The image reference as the caller gave it. */
  public String reference() {
    return reference;
  }

  /** The HTTP status for {@link Reason#HTTP_STATUS} and {@link Reason#NOT_FOUND}, else -1. */
  public int statusCode() {
    return statusCode;
  }
}
