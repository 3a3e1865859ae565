package dev.shopsearch.service.overload;

import java.util.Locale;

/**
 * Why a request was shed (refused for overload) or degraded. Its {@link #tag()} is both the {@code
 * reason} tag of the {@code search.shed} and {@code search.degraded} meters and the {@code reason}
 * member of the 503 problem detail; a fixed set, so the metric's tag values stay bounded.
 */
public enum ShedReason {
  /** Every admission permit is taken. */
  IN_FLIGHT_LIMIT,
  /** The deadline passed, or cannot be met. */
  DEADLINE,
  /** The micro-batcher's queue is full. */
  ENCODE_QUEUE_FULL,
  /** All image-decoding threads busy and their queue full. */
  IMAGE_WORKERS_FULL,
  /** One client sent image requests faster than {@code shopsearch.upload-rate.*} allows (429). */
  UPLOAD_RATE;

  private final String tag = name().toLowerCase(Locale.ROOT);

  /** The lower-case name: the metric tag and the problem's {@code reason}. */
  public String tag() {
    return tag;
  }
}
