package dev.shopsearch.service.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns catalog image references into URLs a browser can load: http(s) URLs pass through; paths
 * relative to the catalog become {@code /images/<path>} (served, path-confined, by the image
 * endpoint).
 */
public final class ImageUrls {
  /** Prefix of the catalog image endpoint. */
  public static final String PREFIX = "/images/";

  private ImageUrls() {}

  /** The URL for a reference, or null for null/blank. */
  public static String toUrl(String ref) {
    if (ref == null || ref.isBlank()) {
      return null;
    }
    String lower = ref.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      return ref;
    }
    StringBuilder sb = new StringBuilder(PREFIX);
    String[] parts = ref.replace('\\', '/').split("/");
    boolean first = true;
    for (String part : parts) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (!first) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
      first = false;
    }
    return sb.toString();
  }
}
