package dev.shopsearch.core.encode;

/** A model failed to load or to run. */
public class EncoderException extends RuntimeException {
  public EncoderException(String message) {
    super(message);
  }

  public EncoderException(String message, Throwable cause) {
    super(message, cause);
  }
}
