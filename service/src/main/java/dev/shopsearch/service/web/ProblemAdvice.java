package dev.shopsearch.service.web;

import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.overload.ShedRefusalHold;
import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
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

  private final OverloadProperties overload;
  private final ShedRefusalHold hold;
  private final ObjectProvider<MultipartConfigElement> multipart;

  /**
   * @param overload {@code retry-after} of the 503s, the configured deadline
   * @param hold answers a shed search at its deadline ({@code hold-refusals})
   * @param multipart the upload limit the servlet container enforces (named in a 413)
   */
  ProblemAdvice(
      OverloadProperties overload,
      ShedRefusalHold hold,
      ObjectProvider<MultipartConfigElement> multipart) {
    this.overload = overload;
    this.hold = hold;
    this.multipart = multipart;
  }

  /**
   * Every refusal a feature throws: status, {@code type} and {@code Retry-After} from its {@link
   * ProblemKind}, the message as {@code detail}, its {@link ProblemException#properties()} as extra
   * members (e.g. {@code parameter}, {@code accepted}, {@code reason}). A shed search is answered
   * no earlier than its deadline ({@link ShedRefusalHold}); by then the search has given back its
   * permit and threads.
   */
  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> refused(ProblemException e, HttpServletRequest request) {
    if (e instanceof OverloadedException shed) {
      hold.beforeAnswering(shed, DeadlineResolver.of(request, overload));
    }
    ProblemKind kind = e.kind();
    ProblemDetail p =
        Problems.of(HttpStatus.valueOf(kind.status()), kind.type(), e.getMessage(), request);
    e.properties().forEach(p::setProperty);
    Long retryAfter = null;
    if (kind.retryLater()) {
      retryAfter =
          e.retryAfterSeconds() != null
              ? e.retryAfterSeconds()
              : (Long) overload.retryAfter().toSeconds();
    }
    return Problems.respond(p, retryAfter);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return typeMismatch(e.getName(), e.getRequiredType(), e.getValue(), request);
  }

  /**
   * A query parameter of a {@code @ParameterObject} (e.g. the filters) that does not convert: the
   * same 400 as for a single parameter of the wrong type.
   */
  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    FieldError field = ex.getBindingResult().getFieldError();
    TypeMismatchException mismatch =
        field == null || !field.contains(TypeMismatchException.class)
            ? null
            : field.unwrap(TypeMismatchException.class);
    if (mismatch != null && request instanceof ServletWebRequest s) {
      Object value = mismatch.getValue();
      if (value instanceof Object[] values && values.length == 1) {
        value = values[0];
      }
      ResponseEntity<ProblemDetail> r =
          typeMismatch(field.getField(), mismatch.getRequiredType(), value, s.getRequest());
      return new ResponseEntity<>(r.getBody(), r.getHeaders(), r.getStatusCode());
    }
    return super.handleMethodArgumentNotValid(ex, headers, status, request);
  }

  private static ResponseEntity<ProblemDetail> typeMismatch(
      String name, Class<?> requiredType, Object value, HttpServletRequest request) {
    String type =
        requiredType == null ? "value" : requiredType.getSimpleName().toLowerCase(Locale.ROOT);
    ProblemDetail p =
        Problems.of(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            String.format(Locale.ROOT, "%s must be a valid %s; got '%s'", name, type, value),
            request);
    p.setProperty("parameter", name);
    return Problems.respond(p, null);
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
            "upload exceeds the limit of " + uploadLimit(ex) + " bytes");
    p.setType(URI.create(Problems.TYPE_BASE + "too-large"));
    if (request instanceof ServletWebRequest s) {
      Problems.decorate(p, s.getRequest());
    }
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(p);
  }

  private long uploadLimit(MaxUploadSizeExceededException ex) {
    MultipartConfigElement limits = multipart.getIfAvailable();
    return limits == null ? ex.getMaxUploadSize() : limits.getMaxFileSize();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "bad request";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
