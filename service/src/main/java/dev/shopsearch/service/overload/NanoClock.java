package dev.shopsearch.service.overload;

/**
 * A monotonic nanosecond clock: {@link #SYSTEM} ({@link System#nanoTime()}) in the service, a
 * manual clock in tests, so that deadlines and service-time estimates can be tested without
 * depending on how fast the machine runs.
 */
@FunctionalInterface
public interface NanoClock {

  /** {@link System#nanoTime()}. */
  NanoClock SYSTEM = System::nanoTime;

  /** Current time in nanoseconds; only differences are meaningful. */
  long nanoTime();
}
