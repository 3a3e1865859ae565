package dev.shopsearch.service.fusion;

/** A fusion parameter of a request is out of range; names the parameter. */
public final class InvalidFusionException extends IllegalArgumentException {
  private final String parameter;

  InvalidFusionException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  /** The request parameter at fault. */
  public String parameter() {
    return parameter;
  }
}
