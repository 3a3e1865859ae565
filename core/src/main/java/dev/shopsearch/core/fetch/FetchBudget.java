package dev.shopsearch.core.fetch;

import java.time.Duration;

/**
 * What is left of the time a caller allows one fetch (package-private): every attempt, redirect hop
 * and backoff pause of the fetch must fit in it. Measured on {@link System#nanoTime()}.
 */
final class FetchBudget {
  /** No budget: only the configured timeouts apply. */
  static final FetchBudget NONE = new FetchBudget(0, 0);

  private final long endNanos;
  private final long totalNanos;

  private FetchBudget(long endNanos, long totalNanos) {
    this.endNanos = endNanos;
    this.totalNanos = totalNanos;
  }

  /**
   * A budget starting now.
   *
   * @param budget the time allowed, or null for {@link #NONE}
   * @throws IllegalArgumentException if {@code budget} is zero or negative
   */
  static FetchBudget of(Duration budget) {
    if (budget == null) {
      return NONE;
    }
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("fetch budget must be > 0; budget=" + budget);
    }
    long nanos = budget.toNanos();
    return new FetchBudget(System.nanoTime() + nanos, nanos);
  }

  /** Whether a budget applies. */
  boolean bounded() {
    return totalNanos > 0;
  }

  /** Nanoseconds left; {@link Long#MAX_VALUE} without a budget, at most 0 once spent. */
  long leftNanos() {
    return bounded() ? Math.max(0, endNanos - System.nanoTime()) : Long.MAX_VALUE;
  }

  /** {@code d}, or what is left when that is less. */
  Duration cap(Duration d) {
    long left = leftNanos();
    return left < d.toNanos() ? Duration.ofNanos(Math.max(1, left)) : d;
  }

  /** The whole budget in milliseconds, for messages. */
  long totalMillis() {
    return Duration.ofNanos(totalNanos).toMillis();
  }
}
