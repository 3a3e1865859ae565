package dev.shopsearch.service.problem;

import java.util.Map;

/**
 * A client sent a bad parameter. Mapped to {@code 400} with a problem detail naming the parameter.
 */
public class InvalidRequestException extends ProblemException {
  private final String parameter;

  /**
   * @param parameter the offending parameter (e.g. {@code k}, {@code q}, {@code minPrice})
   * @param message what is wrong, with the limit and the value received
   */
  public InvalidRequestException(String parameter, String message) {
    super(ProblemKind.INVALID_PARAMETER, message);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }

  @Override
  public Map<String, Object> properties() {
    return Map.of("parameter", parameter);
  }
}
