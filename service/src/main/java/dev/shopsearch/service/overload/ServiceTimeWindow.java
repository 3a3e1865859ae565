package dev.shopsearch.service.overload;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Durations of the calls that finished within the last {@code window} (the latest {@value
 * #CAPACITY} of them): their mean and quantiles. Old samples age out with time, not with the number
 * of new calls: after a load change the figures reflect the new load within one window however few
 * calls run, and with no call in the window there is no estimate at all ({@link #meanNanos()} = 0).
 * Thread-safe.
 */
public final class ServiceTimeWindow {
  static final int CAPACITY = 256;

  private final NanoClock clock;
  private final long windowNanos;
  private final long[] at = new long[CAPACITY];
  private final long[] took = new long[CAPACITY];
  private int next;
  private int size;

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
    this.windowNanos = window.toNanos();
  }

  /** Records one call that took {@code nanos} (negative values count as 0). */
  public synchronized void record(long nanos) {
    at[next] = clock.nanoTime();
    took[next] = Math.max(0, nanos);
    next = (next + 1) % CAPACITY;
    size = Math.min(CAPACITY, size + 1);
  }

  /** Forgets every sample (e.g. the cold calls of a warm-up). */
  public synchronized void clear() {
    size = 0;
  }

  /** Mean of the calls recorded within the window, or 0 when there were none. */
  public synchronized long meanNanos() {
    long[] recent = recent();
    long sum = 0;
    for (long v : recent) {
      sum += v;
    }
    return recent.length == 0 ? 0 : sum / recent.length;
  }

  /**
   * The {@code q} quantile (nearest rank) of the calls recorded within the window, or 0 when there
   * were none.
   */
  public synchronized long quantileNanos(double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in (0, 1]; q=" + q);
    }
    long[] recent = recent();
    if (recent.length == 0) {
      return 0;
    }
    Arrays.sort(recent);
    return recent[(int) Math.ceil(q * recent.length) - 1];
  }

  /** Calls recorded within the window. */
  public synchronized int samples() {
    return recent().length;
  }

  private long[] recent() {
    long now = clock.nanoTime();
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      int slot = Math.floorMod(next - 1 - i, CAPACITY);
      if (now - at[slot] >= windowNanos) {
        break; // older ones are older still
      }
      out[n++] = took[slot];
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }
}
