package dev.shopsearch.core.search;

/**
 * The search engine could not answer: unreachable, overloaded, no generation published, or it ran
 * out of the request's time. Retrying later may succeed; the service answers 503 with the message
 * as the reason, never a 500.
 */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
