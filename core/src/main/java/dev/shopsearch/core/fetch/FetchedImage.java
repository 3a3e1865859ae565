package dev.shopsearch.core.fetch;

import java.util.Objects;

/**
 * Bytes of one image as fetched by {@link ImageSource}; not decoded.
 *
 * @param reference the reference as given (catalog path or URL)
 * @param location where the bytes came from: the real file path, or the final URL after redirects
 * @param contentType the HTTP Content-Type header, or {@code null} (local files, or none sent)
 * @param bytes the content (the array is not copied: do not modify it)
 */
public record FetchedImage(String reference, String location, String contentType, byte[] bytes) {
  public FetchedImage {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** Number of bytes. */
  public int size() {
    return bytes.length;
  }
}
