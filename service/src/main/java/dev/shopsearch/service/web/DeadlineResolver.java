package dev.shopsearch.service.web;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.problem.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * A handler's {@link Deadline} argument: the configured {@code shopsearch.overload.deadline},
 * measured from the request's arrival ({@link RequestIdFilter}), tightened (never extended) by an
 * {@value Deadline#HEADER} header. A bad header is a 400 naming the header and the accepted range.
 * The resolved deadline is kept as the request attribute {@value #ATTRIBUTE} ({@link #of}), so that
 * a refusal can be answered at it ({@link ProblemAdvice}).
 */
final class DeadlineResolver implements HandlerMethodArgumentResolver {
  /** Request attribute holding the request's resolved {@link Deadline}. */
  static final String ATTRIBUTE = "shopsearch.deadline";

  private final OverloadProperties overload;

  DeadlineResolver(OverloadProperties overload) {
    this.overload = overload;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Deadline.class;
  }

  @Override
  public Deadline resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest request,
      WebDataBinderFactory binderFactory) {
    Deadline deadline;
    try {
      deadline =
          Deadline.start(
              overload.deadline(),
              request.getHeader(Deadline.HEADER),
              RequestIdFilter.arrivalNanos());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(Deadline.HEADER, e.getMessage());
    }
    request.setAttribute(ATTRIBUTE, deadline, NativeWebRequest.SCOPE_REQUEST);
    return deadline;
  }

  /**
   * The deadline resolved for {@code request}; when no handler argument resolved one (e.g. a
   * refusal before the handler ran), the configured deadline from the request's arrival, tightened
   * by a valid {@value Deadline#HEADER} (an invalid one is ignored here).
   */
  static Deadline of(HttpServletRequest request, OverloadProperties overload) {
    if (request.getAttribute(ATTRIBUTE) instanceof Deadline d) {
      return d;
    }
    long arrival =
        request.getAttribute(RequestIdFilter.ARRIVAL) instanceof Long a ? a : System.nanoTime();
    try {
      return Deadline.start(overload.deadline(), request.getHeader(Deadline.HEADER), arrival);
    } catch (IllegalArgumentException e) {
      return Deadline.start(overload.deadline(), null, arrival);
    }
  }
}
