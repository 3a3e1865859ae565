package dev.shopsearch.service.image;

/** The server behind an image URL failed, timed out or redirected too often (502). */
public class UpstreamImageException extends RuntimeException {
  public UpstreamImageException(String message) {
    super(message);
  }
}
