package dev.shopsearch.service.overload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds refusals before they are answered, at most {@code maxHeld} at once (beyond that they are
 * answered at once): a client that resends as soon as it is refused is thereby paced to one request
 * per hold and connection, and the service spends a parked virtual thread on it instead of the CPU
 * of a full HTTP exchange each time. The caller must hold nothing else while it is held (no permit,
 * no worker thread).
 */
public final class HeldRefusals {
  private final int maxHeld;
  private final Pause pause;
  private final AtomicInteger held = new AtomicInteger();

  /**
   * @param maxHeld refusals held at once (0: none is ever held)
   * @param pause how the calling thread is parked
   */
  public HeldRefusals(int maxHeld, Pause pause) {
    if (maxHeld < 0) {
      throw new IllegalArgumentException("maxHeld must be >= 0; got " + maxHeld);
    }
    this.maxHeld = maxHeld;
    this.pause = java.util.Objects.requireNonNull(pause, "pause");
  }

  /**
   * Parks the calling thread for {@code d} unless {@code d} is not positive or {@code maxHeld}
   * refusals are held already. An interrupt ends the hold early (the interrupt flag is kept).
   *
   * @return whether the refusal was held
   */
  public boolean hold(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return false;
    }
    try {
      if (held.incrementAndGet() > maxHeld) {
        return false;
      }
      pause.park(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    } finally {
      held.decrementAndGet();
    }
  }

  /** Refusals being held now (for tests and diagnostics). */
  public int held() {
    return held.get();
  }
}
