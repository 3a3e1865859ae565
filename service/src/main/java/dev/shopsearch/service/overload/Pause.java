package dev.shopsearch.service.overload;

import java.time.Duration;

/**
 * Parks the calling (virtual) thread for a while; {@link #SLEEP} in the service, a recorder in
 * tests.
 */
@FunctionalInterface
public interface Pause {
  /** {@link Thread#sleep(Duration)}. */
  Pause SLEEP = Thread::sleep;

  /** Parks the calling thread for {@code d}. */
  void park(Duration d) throws InterruptedException;
}
