package dev.shopsearch.core.bundle;

/** A model bundle directory is missing, incomplete or inconsistent; the message names the path. */
public class BundleException extends RuntimeException {
  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
