package dev.shopsearch.service.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The service's problem details (RFC 9457): a {@code type} under {@link #TYPE_BASE} when the
 * service names the problem, the request path as {@code instance} and the request id, so that every
 * error the service writes has the same shape whichever layer refused the request.
 */
final class Problems {
  /** Base of every {@code type} URI the service sets. */
  static final String TYPE_BASE = "https://shopsearch.dev/problems/";

  private Problems() {}

  /**
   * A problem detail for {@code request}.
   *
   * @param type last segment of the {@code type} URI, or null for the default ({@code about:blank},
   *     the title says it all)
   */
  static ProblemDetail of(
      HttpStatusCode status, String type, String detail, HttpServletRequest request) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    if (type != null) {
      p.setType(URI.create(TYPE_BASE + type));
    }
    decorate(p, request);
    return p;
  }

  /** Adds the request path (unless an instance is set) and the request id (when known). */
  static void decorate(ProblemDetail p, HttpServletRequest request) {
    if (p.getInstance() == null && request.getRequestURI() != null) {
      try {
        p.setInstance(URI.create(request.getRequestURI()));
      } catch (IllegalArgumentException e) {
        // not a valid URI reference: leave the instance out rather than fail the error response
      }
    }
    Object id = request.getAttribute(RequestIdFilter.KEY);
    if (id != null) {
      p.setProperty("requestId", id);
    }
  }

  /** The response for {@code p}, with {@code Retry-After} (at least 1 s) when given. */
  static ResponseEntity<ProblemDetail> respond(ProblemDetail p, Long retryAfterSeconds) {
    ResponseEntity.BodyBuilder b = ResponseEntity.status(p.getStatus());
    if (retryAfterSeconds != null) {
      b.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
    }
    return b.body(p);
  }
}
