package dev.shopsearch.service.web;

import dev.shopsearch.service.config.ServiceProperties;
import dev.shopsearch.service.image.ImageTooLargeException;
import dev.shopsearch.service.image.UnsupportedImageException;
import dev.shopsearch.service.image.UpstreamImageException;
import dev.shopsearch.service.model.NotReadyException;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.search.InvalidRequestException;
import dev.shopsearch.service.search.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
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
  private static final String TYPE_BASE = "https://shopsearch.dev/problems/";

  private final ServiceProperties properties;

  ProblemAdvice(ServiceProperties properties) {
    this.properties = properties;
  }

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-parameter", e.getMessage(), request);
    p.setProperty("parameter", e.parameter());
    return respond(p, null);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    String type =
        e.getRequiredType() == null
            ? "value"
            : e.getRequiredType().getSimpleName().toLowerCase(Locale.ROOT);
    ProblemDetail p =
        problem(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            String.format(
                Locale.ROOT, "%s must be a valid %s; got '%s'", e.getName(), type, e.getValue()),
            request);
    p.setProperty("parameter", e.getName());
    return respond(p, null);
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e, HttpServletRequest request) {
    return respond(problem(HttpStatus.NOT_FOUND, "not-found", e.getMessage(), request), null);
  }

  @ExceptionHandler(ImageTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(ImageTooLargeException e, HttpServletRequest request) {
    return respond(
        problem(HttpStatus.CONTENT_TOO_LARGE, "too-large", e.getMessage(), request), null);
  }

  @ExceptionHandler(UnsupportedImageException.class)
  ResponseEntity<ProblemDetail> unsupported(
      UnsupportedImageException e, HttpServletRequest request) {
    return respond(
        problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-image", e.getMessage(), request),
        null);
  }

  @ExceptionHandler(UpstreamImageException.class)
  ResponseEntity<ProblemDetail> upstream(UpstreamImageException e, HttpServletRequest request) {
    return respond(problem(HttpStatus.BAD_GATEWAY, "image-fetch", e.getMessage(), request), null);
  }

  @ExceptionHandler(NotReadyException.class)
  ResponseEntity<ProblemDetail> notReady(NotReadyException e, HttpServletRequest request) {
    return respond(
        problem(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", e.getMessage(), request),
        properties.overload().retryAfter().toSeconds());
  }

  @ExceptionHandler(OverloadedException.class)
  ResponseEntity<ProblemDetail> overloaded(OverloadedException e, HttpServletRequest request) {
    ProblemDetail p =
        problem(HttpStatus.SERVICE_UNAVAILABLE, "overloaded", e.getMessage(), request);
    p.setProperty("reason", e.reason().name().toLowerCase(Locale.ROOT));
    return respond(p, properties.overload().retryAfter().toSeconds());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return respond(
        problem(
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
      decorate(p, s.getRequest());
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
    p.setType(URI.create(TYPE_BASE + "too-large"));
    if (request instanceof ServletWebRequest s) {
      decorate(p, s.getRequest());
    }
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(p);
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String detail, HttpServletRequest request) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPE_BASE + type));
    decorate(p, request);
    return p;
  }

  private static void decorate(ProblemDetail p, HttpServletRequest request) {
    if (p.getInstance() == null) {
      p.setInstance(URI.create(request.getRequestURI()));
    }
    Object id = request.getAttribute(RequestIdFilter.KEY);
    if (id != null) {
      p.setProperty("requestId", id);
    }
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail p, Long retryAfterSeconds) {
    ResponseEntity.BodyBuilder b = ResponseEntity.status(p.getStatus());
    if (retryAfterSeconds != null) {
      b.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
    }
    return b.body(p);
  }
}
