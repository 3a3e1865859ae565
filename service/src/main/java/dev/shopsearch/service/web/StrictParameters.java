package dev.shopsearch.service.web;

import dev.shopsearch.service.problem.UnknownParameterException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a request that carries a parameter its endpoint does not declare: {@code sort=price} or a
 * misspelt {@code colr=red} would otherwise be ignored and answered with unfiltered results. The
 * accepted names are the handler method's {@code @RequestParam} and {@code @RequestPart} names and
 * the components of a record it takes as a {@code @ParameterObject}, plus their {@link
 * ParameterAliases}; the refusal is an {@link UnknownParameterException} (400) naming the unknown
 * parameters and listing the accepted ones. A handler that takes a {@code Map} of all parameters
 * accepts any. Thread-safe.
 */
final class StrictParameters implements HandlerInterceptor {
  /** Longest unknown name quoted back in a message. */
  private static final int MAX_NAME = 64;

  /**
   * What a handler accepts.
   *
   * @param any whether every name is accepted (a {@code Map} of all parameters)
   * @param names the accepted names, in declaration order, each followed by its aliases
   */
  record Accepted(boolean any, List<String> names) {}

  private final Map<Method, Accepted> accepted = new ConcurrentHashMap<>();

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return true;
    }
    Accepted a = accepted.computeIfAbsent(method.getMethod(), m -> accepted(method));
    if (a.any()) {
      return true;
    }
    List<String> names = a.names();
    List<String> unknown = new ArrayList<>();
    Enumeration<String> given = request.getParameterNames();
    while (given.hasMoreElements()) {
      String name = given.nextElement();
      if (!names.contains(name)) {
        unknown.add(name);
      }
    }
    if (unknown.isEmpty()) {
      return true;
    }
    Collections.sort(unknown);
    String first = unknown.get(0);
    throw new UnknownParameterException(
        first.length() > MAX_NAME ? first.substring(0, MAX_NAME) : first,
        String.format(
            Locale.ROOT,
            "unknown parameter%s %s for %s %s; accepted: %s",
            unknown.size() == 1 ? "" : "s",
            quoted(unknown),
            request.getMethod(),
            request.getRequestURI(),
            names.isEmpty() ? "none (send the fields in the JSON body)" : String.join(", ", names)),
        names);
  }

  /** What a handler accepts. */
  static Accepted accepted(HandlerMethod method) {
    List<String> names = new ArrayList<>();
    for (MethodParameter p : method.getMethodParameters()) {
      RequestParam param = p.getParameterAnnotation(RequestParam.class);
      RequestPart part = p.getParameterAnnotation(RequestPart.class);
      String name;
      if (param != null) {
        if (param.name().isEmpty() && Map.class.isAssignableFrom(p.getParameterType())) {
          return new Accepted(true, List.of());
        }
        name = param.name().isEmpty() ? p.getParameter().getName() : param.name();
      } else if (part != null) {
        name = part.name().isEmpty() ? p.getParameter().getName() : part.name();
      } else {
        if (p.hasParameterAnnotation(ParameterObject.class) && p.getParameterType().isRecord()) {
          for (RecordComponent c : p.getParameterType().getRecordComponents()) {
            accept(names, c.getName());
          }
        }
        continue;
      }
      accept(names, name);
    }
    return new Accepted(false, List.copyOf(names));
  }

  /** Accepts {@code name} and its aliases. */
  private static void accept(List<String> names, String name) {
    names.add(name);
    ParameterAliases.ALIASES.forEach(
        (alias, target) -> {
          if (target.equals(name)) {
            names.add(alias);
          }
        });
  }

  private static String quoted(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add("'" + (n.length() > MAX_NAME ? n.substring(0, MAX_NAME) + "..." : n) + "'");
    }
    return String.join(", ", out);
  }
}
