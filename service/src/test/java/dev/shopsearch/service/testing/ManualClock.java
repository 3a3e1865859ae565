package dev.shopsearch.service.testing;

import dev.shopsearch.service.overload.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that moves only when a test says so. Thread-safe. */
public final class ManualClock implements NanoClock {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }
}
