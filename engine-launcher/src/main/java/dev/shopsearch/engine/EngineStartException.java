package dev.shopsearch.engine;

/**
 * The engine did not become ready: the node JVMs could not be forked, one exited, or the cluster
 * was not healthy within the start budget. The message names the budget and where the node logs
 * are. Tests may treat {@link #timedOut()} as a reason to skip on an overloaded machine.
 */
public final class EngineStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean timedOut;

  /**
   * @param timedOut whether the engine was merely not ready within its budget
   */
  public EngineStartException(String message, boolean timedOut, Throwable cause) {
    super(message, cause);
    this.timedOut = timedOut;
  }

  /** Whether the cluster was merely not ready within the budget (rather than broken). */
  public boolean timedOut() {
    return timedOut;
  }
}
