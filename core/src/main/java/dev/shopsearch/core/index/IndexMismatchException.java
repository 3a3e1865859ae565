package dev.shopsearch.core.index;

/**
 * An index cannot be used with a model bundle (different model, dimension or similarity), or its
 * commit user data is missing or malformed. The message names every field that disagrees.
 */
public class IndexMismatchException extends RuntimeException {
  public IndexMismatchException(String message) {
    super(message);
  }
}
