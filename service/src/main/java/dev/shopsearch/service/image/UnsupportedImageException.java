package dev.shopsearch.service.image;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;

/** An uploaded image is in a format the decoder does not read (415). */
public class UnsupportedImageException extends ProblemException {
  public UnsupportedImageException(String message) {
    super(ProblemKind.UNSUPPORTED_IMAGE, message);
  }
}
