package dev.shopsearch.service.image;

import dev.shopsearch.service.problem.ProblemException;
import dev.shopsearch.service.problem.ProblemKind;

/** The server behind an image URL failed, timed out or redirected too often (502). */
public class UpstreamImageException extends ProblemException {
  public UpstreamImageException(String message) {
    super(ProblemKind.IMAGE_FETCH, message);
  }
}
