package dev.shopsearch.service.image;

import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.OverloadedException;
import dev.shopsearch.service.web.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses an image upload before its body is read when the image bulkhead has no room: parsing a
 * multipart body costs CPU (a few milliseconds per megabyte on the request threads) that text
 * searches need, and an upload that finds every image thread busy and the queue full would be
 * refused after parsing anyway. The answer is the same 503 problem (reason {@code
 * image_workers_full}, {@code Retry-After}) as the bulkhead's own; Tomcat discards the unread body.
 * A fast path only: {@link ImageWorkers} enforces its bounds itself. Applies to multipart POSTs to
 * {@value #SEARCH} and {@value #CONSISTENCY}; registered by {@link ImageConfiguration}.
 */
class UploadGate extends OncePerRequestFilter {
  static final String SEARCH = "/v1/search/image";
  static final String CONSISTENCY = "/v1/consistency";
  private static final Set<String> PATHS = Set.of(SEARCH, CONSISTENCY);

  private final ImageWorkers workers;
  private final SearchMetrics metrics;
  private final HandlerExceptionResolver errors;

  UploadGate(ImageWorkers workers, SearchMetrics metrics, HandlerExceptionResolver errors) {
    this.workers = workers;
    this.metrics = metrics;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String type = request.getContentType();
    return !"POST".equals(request.getMethod())
        || type == null
        || !type.toLowerCase(Locale.ROOT).startsWith("multipart/")
        || !PATHS.contains(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (workers.hasRoom()) {
      chain.doFilter(request, response);
      return;
    }
    OverloadedException refused = workers.full();
    metrics.shed(refused.reason());
    if (SEARCH.equals(request.getRequestURI())
        && request.getAttribute(RequestIdFilter.ARRIVAL) instanceof Long arrival) {
      metrics.request("image", "vector", "shed", System.nanoTime() - arrival);
    }
    errors.resolveException(request, response, null, refused);
  }
}
