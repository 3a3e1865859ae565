package dev.shopsearch.service.overload;

import java.time.Duration;
import java.util.Locale;

/**
 * The mean duration of the calls that finished within the last {@code window} (ten buckets of a
 * tenth each). Old samples age out with time, not with the number of new calls: after a load change
 * the mean reflects the new load within one window however few calls run, and with no call in the
 * window there is no estimate at all ({@link #meanNanos()} = 0). Thread-safe.
 */
public final class ServiceTimeWindow {
  private static final int BUCKETS = 10;

  private final NanoClock clock;
  private final long bucketNanos;
  private final long[] epochs = new long[BUCKETS];
  private final long[] sums = new long[BUCKETS];
  private final int[] counts = new int[BUCKETS];

  /**
   * @param window how long a sample counts, at least 10 ms
   * @param clock time source
   */
  public ServiceTimeWindow(Duration window, NanoClock clock) {
    if (window.toMillis() < 10) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "window must be >= 10 ms; window=%s", window));
    }
    this.clock = clock;
    this.bucketNanos = window.toNanos() / BUCKETS;
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  /** Records one call that took {@code nanos} (negative values count as 0). */
  public synchronized void record(long nanos) {
    long epoch = Math.floorDiv(clock.nanoTime(), bucketNanos);
    int slot = (int) Math.floorMod(epoch, BUCKETS);
    if (epochs[slot] != epoch) {
      epochs[slot] = epoch;
      sums[slot] = 0;
      counts[slot] = 0;
    }
    sums[slot] += Math.max(0, nanos);
    counts[slot]++;
  }

  /** Forgets every sample (e.g. the cold calls of a warm-up). */
  public synchronized void clear() {
    java.util.Arrays.fill(epochs, Long.MIN_VALUE);
  }

  /** Mean of the calls recorded within the window, or 0 when there were none. */
  public synchronized long meanNanos() {
    long oldest = Math.floorDiv(clock.nanoTime(), bucketNanos) - BUCKETS + 1;
    long sum = 0;
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (epochs[i] >= oldest) {
        sum += sums[i];
        n += counts[i];
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /** Calls recorded within the window. */
  public synchronized int samples() {
    long oldest = Math.floorDiv(clock.nanoTime(), bucketNanos) - BUCKETS + 1;
    int n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      if (epochs[i] >= oldest) {
        n += counts[i];
      }
    }
    return n;
  }
}
