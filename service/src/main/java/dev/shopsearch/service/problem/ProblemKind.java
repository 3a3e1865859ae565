package dev.shopsearch.service.problem;

/**
 * What a refused request means for the client, as the web layer answers it: the HTTP status, the
 * last segment of the problem {@code type} URI and whether the client should retry later ({@code
 * Retry-After}). Every exception the features throw for a client-visible refusal is a {@link
 * ProblemException} of one of these kinds, so the web layer maps them all the same way without
 * knowing the features.
 */
public enum ProblemKind {
  /** A bad parameter (400, names the parameter). */
  INVALID_PARAMETER(400, "invalid-parameter", false),
  /** The product or image named in the path does not exist (404). */
  NOT_FOUND(404, "not-found", false),
  /** An image over the byte or pixel limit (413). */
  TOO_LARGE(413, "too-large", false),
  /** An image format the decoder does not read (415). */
  UNSUPPORTED_IMAGE(415, "unsupported-image", false),
  /** One client sent more than its rate allows (429 + its own Retry-After). */
  TOO_MANY_REQUESTS(429, "too-many-requests", true),
  /** The server behind an image URL failed (502). */
  IMAGE_FETCH(502, "image-fetch", false),
  /** Model or index not loaded yet (503 + Retry-After). */
  NOT_READY(503, "not-ready", true),
  /** Full or the deadline cannot be met (503 + Retry-After, names the reason). */
  OVERLOADED(503, "overloaded", true),
  /** The search engine (an OpenSearch cluster) cannot answer (503 + Retry-After, names why). */
  ENGINE_UNAVAILABLE(503, "engine-unavailable", true);

  private final int status;
  private final String type;
  private final boolean retryLater;

  ProblemKind(int status, String type, boolean retryLater) {
    this.status = status;
    this.type = type;
    this.retryLater = retryLater;
  }

  /** The HTTP status code. */
  public int status() {
    return status;
  }

  /** The last segment of the problem's {@code type} URI. */
  public String type() {
    return type;
  }

  /** Whether the answer carries {@code Retry-After}. */
  public boolean retryLater() {
    return retryLater;
  }
}
