package dev.shopsearch.service.overload;

/**
 * The request was not served because the service is full or its deadline cannot be met. Mapped to
 * {@code 503} with {@code Retry-After}; never a client error.
 *
 * <p>Without a stack trace: it is an expected outcome, thrown for every refused request under
 * overload (when refusals are cheapest to make), and the message says where and why.
 */
public class OverloadedException extends RuntimeException {

  /** Why the request was refused; used as a bounded metric tag. */
  public enum Reason {
    IN_FLIGHT_LIMIT,
    DEADLINE,
    ENCODE_QUEUE_FULL,
    /** All image-decoding threads busy and their queue full. */
    IMAGE_WORKERS_FULL
  }

  private final Reason reason;

  public OverloadedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
