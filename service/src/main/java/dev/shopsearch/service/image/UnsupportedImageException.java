package dev.shopsearch.service.image;

/** An uploaded image is in a format the decoder does not read (415). */
public class UnsupportedImageException extends RuntimeException {
  public UnsupportedImageException(String message) {
    super(message);
  }
}
