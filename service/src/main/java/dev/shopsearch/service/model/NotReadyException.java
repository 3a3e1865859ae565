package dev.shopsearch.service.model;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;

/** The model or the index is not loaded yet (503, readiness DOWN). */
public class NotReadyException extends ProblemException {
  public NotReadyException(String message) {
    super(ProblemKind.NOT_READY, message);
  }
}
