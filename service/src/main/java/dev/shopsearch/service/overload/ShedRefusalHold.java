package dev.shopsearch.service.overload;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Answers a shed search no earlier than its deadline ({@code shopsearch.overload.hold-refusals}): a
 * 503 {@code overloaded} for {@link ShedReason#DEADLINE}, {@link ShedReason#IN_FLIGHT_LIMIT} or
 * {@link ShedReason#ENCODE_QUEUE_FULL} is held until the request's {@link Deadline} has passed, so
 * that a closed-loop client cannot resend faster than its own budget. Measured: with the fp32 text
 * tower a 16-connection closed loop got 98% refusals within ~4 ms, resent at once, and ~0.3–0.4 ms
 * of service CPU per refusal took the 2 cores the encoders needed (docs/benchmarks.md).
 *
 * <p>Called by the web layer after the search gave back its admission permit and threads: a held
 * refusal costs a sleeping virtual thread only. At most {@code max-held-refusals} are held at once;
 * beyond, they are answered at once. Degraded answers ({@code on-overload: lexical}) are not
 * refusals and never come here; other refusals (image workers full, upload rate) are not held here.
 */
public final class ShedRefusalHold {
  private static final Set<ShedReason> HELD =
      EnumSet.of(ShedReason.DEADLINE, ShedReason.IN_FLIGHT_LIMIT, ShedReason.ENCODE_QUEUE_FULL);

  private final boolean enabled;
  private final HeldRefusals holds;

  /**
   * @param overload {@code hold-refusals} and {@code max-held-refusals}
   * @param pause how the request's thread is parked ({@link Pause#SLEEP} in the service)
   */
  public ShedRefusalHold(OverloadProperties overload, Pause pause) {
    this.enabled = overload.holdRefusals();
    this.holds = new HeldRefusals(overload.maxHeldRefusals(), pause);
  }

  /**
   * Holds the refusal {@code e} of a request with {@code deadline} until the deadline has passed,
   * when it is a shed search and refusals are held; returns at once otherwise.
   *
   * @return whether it was held
   */
  public boolean beforeAnswering(OverloadedException e, Deadline deadline) {
    if (!enabled || !HELD.contains(e.reason())) {
      return false;
    }
    return holds.hold(Duration.ofNanos(deadline.remainingNanos()));
  }

  /** Refusals being held now (for tests and diagnostics). */
  public int held() {
    return holds.held();
  }
}
