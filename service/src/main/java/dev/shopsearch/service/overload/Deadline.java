package dev.shopsearch.service.overload;

import java.time.Duration;
import java.util.Locale;

/**
 * A request's time budget, measured from its arrival on a {@link NanoClock} ({@link
 * NanoClock#SYSTEM} unless a test injects its own).
 *
 * <p>The budget is the configured default, or less when the client sends {@code
 * X-Request-Deadline-Ms}; a header can only tighten the default, never extend it.
 *
 * @param startNanos arrival time on {@code clock}
 * @param budgetNanos allowed duration
 * @param clock the time source {@link #remainingNanos()} reads
 */
public record Deadline(long startNanos, long budgetNanos, NanoClock clock) {

  /** Header a client may use to tighten the deadline, in milliseconds. */
  public static final String HEADER = "X-Request-Deadline-Ms";

  /** Largest value accepted in {@link #HEADER}. */
  public static final long MAX_HEADER_MS = 60_000;

  public Deadline {
    if (budgetNanos <= 0) {
      throw new IllegalArgumentException("deadline budget must be > 0; budgetNanos=" + budgetNanos);
    }
    java.util.Objects.requireNonNull(clock, "clock");
  }

  /** A deadline on {@link NanoClock#SYSTEM}. */
  public Deadline(long startNanos, long budgetNanos) {
    this(startNanos, budgetNanos, NanoClock.SYSTEM);
  }

  /**
   * The deadline of a request that arrived now.
   *
   * @param configured default budget
   * @param header raw {@link #HEADER} value or null
   * @throws IllegalArgumentException if the header is not an integer in [1, {@value
   *     #MAX_HEADER_MS}]
   */
  public static Deadline start(Duration configured, String header) {
    return start(configured, header, System.nanoTime());
  }

  /**
   * The deadline of a request that arrives now on {@code clock}.
   *
   * @throws IllegalArgumentException if the header is not an integer in [1, {@value
   *     #MAX_HEADER_MS}]
   */
  public static Deadline start(Duration configured, String header, NanoClock clock) {
    return start(configured, header, clock.nanoTime(), clock);
  }

  /**
   * The deadline of a request that arrived at {@code arrivalNanos} ({@link System#nanoTime()}).
   *
   * @throws IllegalArgumentException if the header is not an integer in [1, {@value
   *     #MAX_HEADER_MS}]
   */
  public static Deadline start(Duration configured, String header, long arrivalNanos) {
    return start(configured, header, arrivalNanos, NanoClock.SYSTEM);
  }

  /**
   * The deadline of a request that arrived at {@code arrivalNanos} on {@code clock}.
   *
   * @throws IllegalArgumentException if the header is not an integer in [1, {@value
   *     #MAX_HEADER_MS}]
   */
  public static Deadline start(
      Duration configured, String header, long arrivalNanos, NanoClock clock) {
    long budget = configured.toNanos();
    if (header != null && !header.isBlank()) {
      long ms;
      try {
        ms = Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s must be an integer number of milliseconds in [1, %d]; got '%s'",
                HEADER,
                MAX_HEADER_MS,
                header));
      }
      if (ms < 1 || ms > MAX_HEADER_MS) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s must be in [1, %d]; got %d", HEADER, MAX_HEADER_MS, ms));
      }
      budget = Math.min(budget, Duration.ofMillis(ms).toNanos());
    }
    return new Deadline(arrivalNanos, budget, clock);
  }

  /** Nanoseconds left (negative once expired). */
  public long remainingNanos() {
    return startNanos + budgetNanos - clock.nanoTime();
  }

  /** Whether the budget is spent. */
  public boolean expired() {
    return remainingNanos() <= 0;
  }

  /** The budget in milliseconds. */
  public long budgetMillis() {
    return Duration.ofNanos(budgetNanos).toMillis();
  }
}
