package dev.shopsearch.service.image;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client sent image requests faster than {@code shopsearch.upload-rate.*} allows: 429 with {@code
 * Retry-After}, a client error (the service is not overloaded; this client is too fast). Without a
 * stack trace: thrown for every refused upload, so it must cost next to nothing.
 */
public class UploadRateExceededException extends ProblemException {
  private final double perSecond;
  private final int burst;
  private final long retryAfterSeconds;

  UploadRateExceededException(double perSecond, int burst, long waitNanos) {
    super(
        ProblemKind.TOO_MANY_REQUESTS,
        String.format(
            Locale.ROOT,
            "too many image requests from this client: at most %s per second, %d at once"
                + " (shopsearch.upload-rate.per-second, shopsearch.upload-rate.burst); the next one"
                + " is accepted in %.0f ms",
            perSecond,
            burst,
            waitNanos / 1e6),
        false);
    this.perSecond = perSecond;
    this.burst = burst;
    this.retryAfterSeconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
  }

  /** The sustained rate allowed per client. */
  public double perSecond() {
    return perSecond;
  }

  /** The burst allowed per client. */
  public int burst() {
    return burst;
  }

  /** Whole seconds until the client's next image request is accepted, at least 1. */
  @Override
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The setting that limits the client, its rate and its burst. */
  @Override
  public Map<String, Object> properties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("parameter", "shopsearch.upload-rate.per-second");
    p.put("perSecond", perSecond);
    p.put("burst", burst);
    return p;
  }
}
