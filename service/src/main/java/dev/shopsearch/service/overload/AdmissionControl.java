package dev.shopsearch.service.overload;

import java.util.Locale;
import java.util.concurrent.Semaphore;

/**
 * Bounds the work in flight. A request either gets a permit at once or is refused at once: there is
 * no waiting line, so overload turns into fast 503s (or degraded answers) instead of queueing.
 *
 * <p>Two pools: full searches ({@code maxInFlight}) and lexical-only fallbacks ({@code
 * maxDegradedInFlight}). Thread-safe.
 */
public class AdmissionControl {
  private final Semaphore full;
  private final Semaphore degraded;
  private final int maxInFlight;
  private final int maxDegraded;

  public AdmissionControl(OverloadProperties settings) {
    this.maxInFlight = settings.maxInFlight();
    this.maxDegraded = settings.maxDegradedInFlight();
    this.full = new Semaphore(maxInFlight);
    this.degraded = new Semaphore(maxDegraded);
  }

  /** A held permit; close it exactly once. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Takes a full-search permit without waiting.
   *
   * @return the permit, or null when all {@code maxInFlight} are taken
   */
  public Permit tryAdmit() {
    return take(full);
  }

  /**
   * Takes a degraded (lexical-only) permit without waiting.
   *
   * @throws OverloadedException when all {@code maxDegradedInFlight} are taken as well
   */
  public Permit admitDegraded() {
    Permit permit = take(degraded);
    if (permit == null) {
      throw new OverloadedException(
          ShedReason.IN_FLIGHT_LIMIT,
          String.format(
              Locale.ROOT,
              "service is at its limit of %d searches and %d degraded searches in flight",
              maxInFlight,
              maxDegraded));
    }
    return permit;
  }

  /** A refusal for a full pool, naming the limit. */
  public OverloadedException full() {
    return new OverloadedException(
        ShedReason.IN_FLIGHT_LIMIT,
        String.format(
            Locale.ROOT, "service is at its limit of %d searches in flight", maxInFlight));
  }

  /** Searches in flight now. */
  public int inFlight() {
    return maxInFlight - full.availablePermits();
  }

  private static Permit take(Semaphore semaphore) {
    if (!semaphore.tryAcquire()) {
      return null;
    }
    return new Permit() {
      private boolean closed;

      @Override
      public synchronized void close() {
        if (!closed) {
          closed = true;
          semaphore.release();
        }
      }
    };
  }
}
