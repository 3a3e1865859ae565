package dev.shopsearch.service.image;

import dev.shopsearch.core.image.ImageDecodeException;
import dev.shopsearch.service.problem.InvalidRequestException;

/** What a query image the core decoder refused means for the client (400, 413 or 415). */
final class ImageRefusals {
  private ImageRefusals() {}

  /** The client error for a decoder refusal; the message is the decoder's. */
  static RuntimeException of(ImageDecodeException e) {
    return switch (e.reason()) {
      case TOO_LARGE -> new ImageTooLargeException(e.getMessage());
      case UNSUPPORTED -> new UnsupportedImageException(e.getMessage());
      default -> new InvalidRequestException("image", "not a usable image: " + e.getMessage());
    };
  }
}
