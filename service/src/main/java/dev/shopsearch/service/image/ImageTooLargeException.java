package dev.shopsearch.service.image;

/** An uploaded image exceeds the byte or pixel limit (413). */
public class ImageTooLargeException extends RuntimeException {
  public ImageTooLargeException(String message) {
    super(message);
  }
}
