package dev.shopsearch.service.image;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shopsearch.service.metrics.SearchMetrics;
import dev.shopsearch.service.overload.HeldRefusals;
import dev.shopsearch.service.overload.NanoClock;
import dev.shopsearch.service.overload.Pause;
import dev.shopsearch.service.overload.ShedReason;
import dev.shopsearch.service.overload.TokenBucket;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Per-client rate limit on the image endpoints, before anything reads the request body: one {@link
 * TokenBucket} per remote address ({@link UploadRateProperties}). A client past its rate —
 * typically one that resends at once after each 503 instead of waiting its {@code Retry-After} —
 * gets a 429 problem with {@code Retry-After}, held for {@code hold-refusals} first (see {@link
 * #hold}); Tomcat discards the unread body. Without it such clients made the service parse ~750
 * multipart bodies a second, and that request-thread CPU starved text search (docs/benchmarks.md).
 *
 * <p>Applies to {@code POST} {@value UploadGate#SEARCH} and {@value UploadGate#CONSISTENCY},
 * whatever the content type (an image URL costs a fetch). Counted as {@code
 * search_shed_total{reason= "upload_rate"}}. Registered by {@code ImageConfiguration}, before
 * {@link UploadGate}.
 */
class UploadRateLimit extends OncePerRequestFilter {
  private static final Set<String> PATHS = Set.of(UploadGate.SEARCH, UploadGate.CONSISTENCY);

  private final UploadRateProperties limits;
  private final NanoClock clock;
  private final SearchMetrics metrics;
  private final HandlerExceptionResolver errors;
  private final Cache<String, TokenBucket> buckets;
  private final HeldRefusals held;

  UploadRateLimit(
      UploadRateProperties limits,
      NanoClock clock,
      Pause pause,
      SearchMetrics metrics,
      HandlerExceptionResolver errors) {
    this.limits = limits;
    this.held = new HeldRefusals(limits.maxHeld(), pause);
    this.clock = clock;
    this.metrics = metrics;
    this.errors = errors;
    // An idle client's bucket is full again after burst / perSecond: forgetting it then changes
    // nothing, since a new bucket starts full.
    Duration refill = Duration.ofNanos((long) Math.ceil(limits.burst() / limits.perSecond() * 1e9));
    this.buckets =
        Caffeine.newBuilder()
            .maximumSize(limits.maxClients())
            .expireAfterAccess(refill)
            .ticker(clock::nanoTime)
            .build();
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !"POST".equals(request.getMethod()) || !PATHS.contains(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    TokenBucket bucket =
        buckets.get(
            String.valueOf(request.getRemoteAddr()),
            client -> new TokenBucket(limits.perSecond(), limits.burst(), clock));
    long waitNanos = bucket.tryTake();
    if (waitNanos == 0) {
      chain.doFilter(request, response);
      return;
    }
    metrics.shed(ShedReason.UPLOAD_RATE);
    hold();
    errors.resolveException(
        request,
        response,
        null,
        new UploadRateExceededException(limits.perSecond(), limits.burst(), waitNanos));
  }

  /**
   * Holds the refusal for {@code hold-refusals} unless {@code max-held} refusals are held already:
   * a client that ignores {@code Retry-After} and resends at once then sends one request per hold
   * and connection, and the service spends a parked virtual thread on it instead of the CPU of a
   * full HTTP exchange each time (profile: Tomcat's request handling, Micrometer's observation and
   * the problem+json rendering, ~0.6 ms per refusal on the 2-core VM).
   */
  private void hold() {
    held.hold(limits.holdRefusals());
  }

  /** Refusals being held now (for tests and diagnostics). */
  int held() {
    return held.held();
  }

  /** Clients tracked now (for tests and diagnostics). */
  long clients() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
