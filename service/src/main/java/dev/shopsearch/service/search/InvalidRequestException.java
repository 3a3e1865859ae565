package dev.shopsearch.service.search;

/**
 * A client sent a bad parameter. Mapped to {@code 400} with a problem detail naming the parameter.
 */
public class InvalidRequestException extends RuntimeException {
  private final String parameter;

  /**
   * @param parameter the offending parameter (e.g. {@code k}, {@code q}, {@code minPrice})
   * @param message what is wrong, with the limit and the value received
   */
  public InvalidRequestException(String parameter, String message) {
    super(message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
