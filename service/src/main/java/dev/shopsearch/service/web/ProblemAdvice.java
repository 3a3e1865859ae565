package dev.shopsearch.service.web;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.image.ImageTooLargeException;
import dev.shopsearch.service.image.UnsupportedImageException;
import dev.shopsearch.service.image.UploadRateExceededException;
import dev.shopsearch.service.image.UpstreamImageException;
import dev.shopsearch.service.model.NotReadyException;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.search.InvalidRequestException;
import dev.shopsearch.service.search.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem detail ({@code application/problem+json}): 400 for bad
 * parameters (naming the parameter), 404, 413 for oversized uploads, 415, 503 with {@code
 * Retry-After} when not ready or shedding. Never a stack trace; a 500 only for our own bugs, logged
 * with the request id.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  private final ServiceProperties properties;

  ProblemAdvice(ServiceProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
    ProblemDetail p =
        Problems.of(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getMessage(), request);
    p.setProperty("parameter", e.parameter());
    return Problems.respond(p, null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    String type =
        e.getRequiredType() == null
            ? "value"
            : e.getRequiredType().getSimpleName().toLowerCase(Locale.ROOT);
    ProblemDetail p =
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            String.format(
                Locale.ROOT, "%s must be a valid %s; got '%s'", e.getName(), type, e.getValue()),
            request);
    p.setProperty("parameter", e.getName());
    return Problems.respond(p, null);
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.of(HttpStatus.NOT_FOUND, "not-found", e.getMessage(), request), null);
  }

  @ExceptionHandler(ImageTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(ImageTooLargeException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", e.getMessage(), request), null);
  }

  @ExceptionHandler(UnsupportedImageException.class)
  ResponseEntity<ProblemDetail> unsupported(
      UnsupportedImageException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.of(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image", e.getMessage(), request),
        null);
  }

  @ExceptionHandler(UpstreamImageException.class)
  ResponseEntity<ProblemDetail> upstream(UpstreamImageException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.of(HttpStatus.BAD_GATEWAY, "image-fetch", e.getMessage(), request), null);
  }

  @ExceptionHandler(NotReadyException.class)
  ResponseEntity<ProblemDetail> notReady(NotReadyException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", e.getMessage(), request),
        properties.overload().retryAfter().toSeconds());
  }

  @ExceptionHandler(OverloadedException.class)
  ResponseEntity<ProblemDetail> overloaded(OverloadedException e, HttpServletRequest request) {
    ProblemDetail p =
        Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", e.getMessage(), request);
    p.setProperty("reason", e.reason().name().toLowerCase(Locale.ROOT));
    return Problems.respond(p, properties.overload().retryAfter().toSeconds());
  }

  /** A client past {@code shopsearch.upload-rate.*}: 429 with the limit and when to come back. */
  @ExceptionHandler(UploadRateExceededException.class)
  ResponseEntity<ProblemDetail> uploadRate(
      UploadRateExceededException e, HttpServletRequest request) {
    ProblemDetail p =
        Problems.of(HttpStatus.TOO_MANY_REQUESTS, "too-many-requests", e.getMessage(), request);
    p.setProperty("parameter", "shopsearch.upload-rate.per-second");
    p.setProperty("perSecond", e.perSecond());
    p.setProperty("burst", e.burst());
    return Problems.respond(p, e.retryAfterSeconds());
  }

  /**
   * Tomcat refused to decode the request parameters: bytes that are not UTF-8 or a broken {@code %}
   * escape in the query string ({@code %ff%fe}, {@code %c0%af}), or too many parameters. The
   * client's fault, so 400 naming the parameter, and no stack trace in the log.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> undecodableParameters(
      InvalidParameterException e, HttpServletRequest request) {
    QueryStrings.Undecodable bad = QueryStrings.firstUndecodable(request.getQueryString());
    HttpStatus status = HttpStatus.resolve(e.getErrorCode());
    if (status == null || !status.is4xxClientError()) {
      status = HttpStatus.BAD_REQUEST;
    }
    ProblemDetail p;
    if (bad != null) {
      p =
          Problems.of(
              status,
              "invalid-parameter",
              String.format(
                  Locale.ROOT,
                  "%s must be percent-encoded UTF-8; got '%s': %s",
                  bad.name(),
                  bad.raw(),
                  bad.problem()),
              request);
      p.setProperty("parameter", bad.name());
    } else {
      p = Problems.of(status, "invalid-parameter", firstLine(e.getMessage()), request);
    }
    log.debug("refused undecodable parameters on {}: {}", request.getRequestURI(), e.getMessage());
    return Problems.respond(p, null);
  }

  /**
   * A body sent as {@code multipart/form-data} that cannot be parsed (no boundary, truncated,
   * malformed part headers). Too large uploads are a {@link MaxUploadSizeExceededException}, 413.
   */
  @ExceptionHandler(MultipartException.class)
  ResponseEntity<ProblemDetail> malformedMultipart(
      MultipartException e, HttpServletRequest request) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root == e ? e.getMessage() : firstLine(root.getMessage());
    return Problems.respond(
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "invalid-multipart",
            "malformed multipart/form-data request: " + why,
            request),
        null);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return Problems.respond(
        Problems.of(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; quote the request id when reporting it",
            request),
        null);
  }

  /** Spring MVC's own exceptions (415, 405, 406, bad JSON, missing part, 413 ...). */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ResponseEntity<Object> r = super.handleExceptionInternal(ex, body, headers, status, request);
    if (r != null
        && r.getBody() instanceof ProblemDetail p
        && request instanceof ServletWebRequest s) {
      Problems.decorate(p, s.getRequest());
    }
    return r;
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ProblemDetail p =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONTENT_TOO_LARGE,
            "upload exceeds the limit of " + properties.upload().maxBytes() + " bytes");
    p.setType(URI.create(Problems.TYPE_BASE + "too-large"));
    if (request instanceof ServletWebRequest s) {
      Problems.decorate(p, s.getRequest());
    }
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(p);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "bad request";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
