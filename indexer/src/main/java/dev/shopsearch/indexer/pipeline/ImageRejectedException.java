package dev.shopsearch.indexer.pipeline;

/**
 * One image could not be used (not found, too large, not an image, truncated, path escape, HTTP
 * error...). Skips that image only, never the run.
 */
public class ImageRejectedException extends Exception {
  private final String kind;

  /**
   * @param kind short machine-readable category, e.g. {@code NOT_FOUND}, {@code TRUNCATED}
   * @param message what was wrong, naming the reference and the limit
   */
  public ImageRejectedException(String kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ImageRejectedException(String kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public String kind() {
    return kind;
  }
}
