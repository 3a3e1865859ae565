package dev.shopsearch.service.image;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;

/** An uploaded image exceeds the byte or pixel limit (413). */
public class ImageTooLargeException extends ProblemException {
  public ImageTooLargeException(String message) {
    super(ProblemKind.TOO_LARGE, message);
  }
}
