package dev.shopsearch.service.search;

import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;
import java.util.Map;

/**
 * The search engine could not answer (cluster unreachable or unhealthy, no generation published,
 * out of the request's time): 503 with {@code reason: engine_unavailable} and the engine's account
 * in the detail, never a 500.
 */
public final class EngineUnavailableException extends ProblemException {
  /** The problem's {@code reason} member. */
  public static final String REASON = "engine_unavailable";

  public EngineUnavailableException(BackendUnavailableException cause) {
    super(ProblemKind.ENGINE_UNAVAILABLE, cause.getMessage(), false);
  }

  @Override
  public Map<String, Object> properties() {
    return Map.of("reason", REASON);
  }
}
