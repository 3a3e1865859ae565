package dev.shopsearch.service.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a short token, else a
 * random UUID. The id is in the MDC ({@code requestId}) for every log line of the request, echoed
 * in the response header and added to problem details.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {
  /** Request and response header. */
  public static final String HEADER = "X-Request-Id";

  /** MDC key and request attribute. */
  public static final String KEY = "requestId";

  /** Request attribute: {@link System#nanoTime()} when the request entered the filter chain. */
  public static final String ARRIVAL = "shopsearch.arrivalNanos";

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    request.setAttribute(ARRIVAL, System.nanoTime());
    String id = request.getHeader(HEADER);
    if (id == null || !SAFE.matcher(id).matches()) {
      id = UUID.randomUUID().toString();
    }
    request.setAttribute(KEY, id);
    response.setHeader(HEADER, id);
    MDC.put(KEY, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(KEY);
    }
  }

  /**
   * When the current request arrived ({@link System#nanoTime()}), so that its deadline counts the
   * time spent before the controller; now when called outside a request.
   */
  public static long arrivalNanos() {
    if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
        && a.getRequest().getAttribute(ARRIVAL) instanceof Long arrival) {
      return arrival;
    }
    return System.nanoTime();
  }
}
