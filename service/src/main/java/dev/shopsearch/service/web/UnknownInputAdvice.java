package dev.shopsearch.service.web;

import dev.shopsearch.service.problem.UnknownParameterException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * 400 problem details for unknown JSON body fields (Jackson's {@link
 * UnrecognizedPropertyException}, with {@code
 * spring.jackson.deserialization.fail-on-unknown-properties} on), answered as the {@link
 * UnknownParameterException} that {@link StrictParameters} throws for unknown parameters: naming
 * the field path ({@code parameter}) and listing the accepted names ({@code accepted}). Ordered
 * before {@link ProblemAdvice}, which would answer an unknown field as an unreadable body.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownInputAdvice {
  private final ProblemAdvice problems;

  UnknownInputAdvice(ProblemAdvice problems) {
    this.problems = problems;
  }

  /** Found as the cause of Spring's {@code HttpMessageNotReadableException}. */
  @ExceptionHandler(UnrecognizedPropertyException.class)
  ResponseEntity<ProblemDetail> unknownField(
      UnrecognizedPropertyException e, HttpServletRequest request) {
    String path = path(e);
    List<String> accepted = new ArrayList<>();
    e.getKnownPropertyIds().forEach(id -> accepted.add(String.valueOf(id)));
    int dot = path.lastIndexOf('.');
    String where = dot < 0 ? "the JSON body" : "'" + path.substring(0, dot) + "'";
    return problems.refused(
        new UnknownParameterException(
            path,
            String.format(
                Locale.ROOT,
                "unknown field '%s' in %s; accepted: %s",
                path,
                where,
                String.join(", ", accepted)),
            accepted),
        request);
  }

  /** The dotted path of the unknown field, e.g. {@code filters.size}. */
  static String path(JacksonException e) {
    StringBuilder out = new StringBuilder();
    for (var ref : e.getPath()) {
      String part =
          ref.getPropertyName() != null
              ? ref.getPropertyName()
              : ref.getIndex() >= 0 ? Integer.toString(ref.getIndex()) : "?";
      if (!out.isEmpty()) {
        out.append('.');
      }
      out.append(part);
    }
    return out.toString();
  }
}
