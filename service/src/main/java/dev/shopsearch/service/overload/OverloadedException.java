package dev.shopsearch.service.overload;

/**
 * The request was not served because the service is full or its deadline cannot be met. Mapped to
 * {@code 503} with {@code Retry-After}; never a client error.
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
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
