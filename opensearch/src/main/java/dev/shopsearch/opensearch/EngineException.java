package dev.shopsearch.opensearch;

/**
 * An OpenSearch call failed: an HTTP error status (with the engine's reason) or an I/O failure
 * (status 0). {@link #retryable()} tells 429 and 5xx (and I/O failures) from permanent errors.
 */
public final class EngineException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public EngineException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when no answer came back. */
  public int status() {
    return status;
  }

  /** Whether retrying later may succeed: 429, 5xx, or no answer. */
  public boolean retryable() {
    return isRetryable(status);
  }

  /** Whether an HTTP status (0 = no answer) is worth retrying. */
  public static boolean isRetryable(int status) {
    return status == 0 || status == 429 || status >= 500;
  }
}
