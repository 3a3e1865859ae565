package dev.shopsearch.service.web;

import dev.shopsearch.service.overload.Deadline;
import dev.shopsearch.service.overload.OverloadProperties;
import dev.shopsearch.service.problem.InvalidRequestException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * A handler's {@link Deadline} argument: the configured {@code shopsearch.overload.deadline},
 * measured from the request's arrival ({@link RequestIdFilter}), tightened (never extended) by an
 * {@value Deadline#HEADER} header. A bad header is a 400 naming the header and the accepted range.
 */
final class DeadlineResolver implements HandlerMethodArgumentResolver {
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
    try {
      return Deadline.start(
          overload.deadline(), request.getHeader(Deadline.HEADER), RequestIdFilter.arrivalNanos());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(Deadline.HEADER, e.getMessage());
    }
  }
}
