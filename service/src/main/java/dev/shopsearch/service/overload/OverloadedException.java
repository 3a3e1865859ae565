package dev.shopsearch.service.overload;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;
import java.util.Map;

/**
 * The request was not served because the service is full or its deadline cannot be met. Answered
 * {@code 503} with {@code Retry-After} and the {@link ShedReason#tag()} as {@code reason}; never a
 * client error.
 *
 * <p>Without a stack trace: it is an expected outcome, thrown for every refused request under
 * overload (when refusals are cheapest to make), and the message says where and why.
 */
public class OverloadedException extends ProblemException {
  private final ShedReason reason;

  public OverloadedException(ShedReason reason, String message) {
    super(ProblemKind.OVERLOADED, message, false);
    this.reason = reason;
  }

  /** Why the request was refused. */
  public ShedReason reason() {
    return reason;
  }

  @Override
  public Map<String, Object> properties() {
    return Map.of("reason", reason.tag());
  }
}
