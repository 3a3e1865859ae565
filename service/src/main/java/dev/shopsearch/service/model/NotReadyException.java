package dev.shopsearch.service.model;

/** The model or the index is not loaded yet (503, readiness DOWN). */
public class NotReadyException extends RuntimeException {
  public NotReadyException(String message) {
    super(message);
  }
}
