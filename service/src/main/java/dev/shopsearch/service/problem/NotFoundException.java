package dev.shopsearch.service.problem;

/** The product or image named in the path does not exist (404). */
public class NotFoundException extends ProblemException {
  public NotFoundException(String message) {
    super(ProblemKind.NOT_FOUND, message);
  }
}
