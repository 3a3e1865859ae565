package dev.shopsearch.service.overload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

  /**
   * Waits for {@code future} until this deadline: the one way the service waits on work it handed
   * to a worker pool (encoder threads, search threads, image threads, the micro-batcher).
   *
   * <ul>
   *   <li>the result, once the work finished in time;
   *   <li>the work's own failure rethrown: a {@link RuntimeException} or {@link Error} as it is, an
   *       {@link IOException} as {@link UncheckedIOException}, anything else wrapped in {@link
   *       IllegalStateException};
   *   <li>{@link OverloadedException} ({@link ShedReason#DEADLINE}) when the deadline passes first
   *       ("{@code <work> did not finish within the N ms deadline (<workers>)}"), when the work
   *       stopped with a {@link CancellationException} (it saw that it was abandoned), or when the
   *       waiting thread is interrupted (its interrupt flag is kept). On the deadline and on an
   *       interrupt the future is cancelled without interrupting a running task, then {@code
   *       onGiveUp} runs (e.g. to give the task's place in a pool back).
   * </ul>
   *
   * @param work what is waited for, for the message (e.g. {@code "search"})
   * @param workers what it ran on, for the message (e.g. {@code "4 search threads busy"}), or null
   * @param onGiveUp run once when the caller stops waiting
   */
  public <T> T await(Future<T> future, String work, String workers, Runnable onGiveUp) {
    try {
      return future.get(Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      giveUp(future, onGiveUp);
      throw missed(work, workers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      giveUp(future, onGiveUp);
      throw new OverloadedException(ShedReason.DEADLINE, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CancellationException) {
        throw missed(work, workers);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException(cause);
    }
  }

  private static void giveUp(Future<?> future, Runnable onGiveUp) {
    future.cancel(false);
    onGiveUp.run();
  }

  /**
   * The refusal of {@code work} that did not finish within this deadline, as {@link #await} throws
   * it.
   *
   * @param workers what it ran on, for the message, or null
   */
  public OverloadedException missed(String work, String workers) {
    return new OverloadedException(
        ShedReason.DEADLINE,
        String.format(
                Locale.ROOT, "%s did not finish within the %d ms deadline", work, budgetMillis())
            + (workers == null ? "" : " (" + workers + ")"));
  }
}
