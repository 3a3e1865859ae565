package dev.shopsearch.service.overload;

import java.util.Locale;

/**
 * A token bucket on a {@link NanoClock}: holds at most {@code burst} tokens, gains {@code
 * perSecond} tokens a second, and each admitted call takes one. A call that finds no token takes
 * nothing and learns how long until one is there, so that the refusal can say when to come back.
 * Thread-safe; the refill is computed from the clock at each call (no timer thread).
 */
public final class TokenBucket {
  private final long nanosPerToken;
  private final long burstNanos;
  private final NanoClock clock;

  /**
   * When the bucket will be full again if nothing more is taken (the "theoretical arrival time" of
   * the generic cell rate algorithm): integer nanoseconds, so the rate is exact however often it is
   * asked.
   */
  private long fullAtNanos;

  /**
   * A full bucket.
   *
   * @param perSecond refill rate, tokens per second, in [0.001, 1,000,000]
   * @param burst capacity, in [1, 1,000,000]
   */
  public TokenBucket(double perSecond, int burst, NanoClock clock) {
    if (!(perSecond >= 0.001 && perSecond <= 1_000_000)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "perSecond must be in [0.001, 1000000]; got %s", perSecond));
    }
    if (burst < 1 || burst > 1_000_000) {
      throw new IllegalArgumentException("burst must be in [1, 1000000]; got " + burst);
    }
    this.nanosPerToken = Math.round(1e9 / perSecond);
    this.burstNanos =
        Math.multiplyHigh(burst, nanosPerToken) == 0 ? burst * nanosPerToken : Long.MAX_VALUE / 2;
    this.clock = clock;
    this.fullAtNanos = clock.nanoTime();
  }

  /**
   * Takes a token if there is one.
   *
   * @return 0 when a token was taken; otherwise the nanoseconds until the next token (nothing was
   *     taken)
   */
  public synchronized long tryTake() {
    long now = clock.nanoTime();
    long owed = Math.max(0, fullAtNanos - now) + nanosPerToken; // refill time after taking one
    if (owed > burstNanos) {
      return owed - burstNanos;
    }
    fullAtNanos = now + owed;
    return 0;
  }
}
