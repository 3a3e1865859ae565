package dev.shopsearch.service.problem;

import java.util.Map;

/**
 * A refusal the client is told about as an RFC 9457 problem detail: its {@link ProblemKind}, the
 * message as {@code detail} and {@link #properties()} as extra members. The web layer maps every
 * subclass the same way; the features never depend on the web layer for it.
 */
public abstract class ProblemException extends RuntimeException {
  private final ProblemKind kind;

  protected ProblemException(ProblemKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /**
   * @param stackTrace false for expected, frequent refusals (a stack trace per shed request costs
   *     CPU exactly when the service is short of it)
   */
  protected ProblemException(ProblemKind kind, String message, boolean stackTrace) {
    super(message, null, false, stackTrace);
    this.kind = kind;
  }

  /** How the refusal is answered. */
  public ProblemKind kind() {
    return kind;
  }

  /**
   * Seconds the client should wait before retrying ({@code Retry-After}) when this refusal knows
   * them; null: the configured {@code shopsearch.overload.retry-after} (for kinds that retry
   * later).
   */
  public Long retryAfterSeconds() {
    return null;
  }

  /** Extra members of the problem detail, in order (e.g. {@code parameter}); none by default. */
  public Map<String, Object> properties() {
    return Map.of();
  }
}
