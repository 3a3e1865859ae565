package dev.shopsearch.service.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service's {@code /error}, replacing Spring Boot's whitelabel page and its non-problem JSON:
 * what the servlet container forwards here (a {@code sendError} outside Spring MVC, such as 405 for
 * {@code TRACE}, or an exception escaping a filter) comes back as {@code application/problem+json}
 * whatever the {@code Accept} header says. A request for {@code /error} itself is a 404 like any
 * unknown path. Only a 5xx with an exception is logged at ERROR (our bug); client errors are not.
 */
@RestController
class ProblemErrorController implements ErrorController {
  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    if (!(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code)) {
      return json(
          Problems.of(
              HttpStatus.NOT_FOUND,
              "not-found",
              "no resource at " + request.getRequestURI(),
              request));
    }
    Throwable thrown =
        request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t ? t : null;
    HttpStatusCode status =
        thrown instanceof InvalidParameterException
            ? HttpStatus.BAD_REQUEST
            : HttpStatusCode.valueOf(code < 400 || code > 599 ? 500 : code);
    Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String detail;
    if (status.is5xxServerError()) {
      if (thrown != null) {
        log.error("unexpected error on {} {}", request.getMethod(), path, thrown);
      }
      detail = "internal error; quote the request id when reporting it";
    } else {
      detail = message(request, thrown, status);
    }
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    if (path instanceof String s) {
      try {
        p.setInstance(URI.create(s));
      } catch (IllegalArgumentException e) {
        // an unparsable path: leave the instance out
      }
    }
    Problems.decorate(p, request);
    return json(p);
  }

  private static String message(HttpServletRequest request, Throwable thrown, HttpStatusCode s) {
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    if (message instanceof String m && !m.isBlank()) {
      return m;
    }
    if (thrown != null && thrown.getMessage() != null) {
      return thrown.getMessage();
    }
    HttpStatus known = HttpStatus.resolve(s.value());
    return known == null ? "HTTP " + s.value() : known.getReasonPhrase();
  }

  private static ResponseEntity<ProblemDetail> json(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(p);
  }
}
