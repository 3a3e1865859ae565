package dev.shopsearch.core.image;

import java.util.Objects;

/**
 * An input could not be decoded into an image. The {@link #reason()} says why; the message names
 * the problem and, where one applies, the limit. Callers that process many images skip the one item
 * and go on.
 */
public class ImageDecodeException extends RuntimeException {

  /** Why decoding failed. */
  public enum Reason {
    /** The bytes are not an image at all (empty, text, HTML, unknown magic number). */
    NOT_AN_IMAGE,
    /** An image format (or a variant of one) that this decoder does not read. */
    UNSUPPORTED,
    /** The file ends before the image data does. */
    TRUNCATED,
    /** Larger than the configured {@link DecodeLimits}. */
    TOO_LARGE,
    /** The container or the compressed data is damaged. */
    CORRUPT
  }

  private final Reason reason;

  public ImageDecodeException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ImageDecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why decoding failed. */
  public Reason reason() {
    return reason;
  }
}
