package dev.shopsearch.service.search;

import dev.shopsearch.service.problem.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * An opaque position in a result list ({@code search_after}): the sort key and product id of the
 * last hit of a page, and a fingerprint of the query it belongs to. The next page is the hits after
 * that key in the same order, so paging with cursors never skips or repeats a product while the
 * index stays the same, and goes as deep as the match set.
 *
 * @param sort the order it was made for
 * @param query fingerprint of the query (text, mode, filters, endpoint)
 * @param missing whether the last hit had no sort value (no price, no catalog row)
 * @param value the last hit's sort value (relevance score, price or catalog row)
 * @param productId the last hit's product id
 */
public record Cursor(SortOrder sort, int query, boolean missing, double value, String productId) {
  private static final String VERSION = "c1";
  private static final int MAX_LENGTH = 2048;

  /** The opaque parameter value. */
  public String encode() {
    String raw =
        String.join(
            "\n",
            VERSION,
            sort.key(),
            Integer.toHexString(query),
            missing ? "-" : Long.toHexString(Double.doubleToLongBits(value)),
            productId);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a {@code cursor} parameter made for {@code sort} and the query with fingerprint {@code
   * query}.
   *
   * @return the cursor, or null when {@code value} is null or blank
   * @throws InvalidRequestException naming {@code cursor} when it was not issued by this service,
   *     or was issued for another sort or query
   */
  public static Cursor decode(String value, SortOrder sort, int query) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > MAX_LENGTH) {
      throw invalid(
          String.format(
              Locale.ROOT,
              "cursor must be at most %d characters; got %d",
              MAX_LENGTH,
              value.length()));
    }
    String[] parts;
    try {
      parts =
          new String(Base64.getUrlDecoder().decode(value.trim()), StandardCharsets.UTF_8)
              .split("\n", -1);
    } catch (IllegalArgumentException e) {
      throw invalid("cursor is not a cursor this service issued (not base64url)");
    }
    if (parts.length != 5 || !VERSION.equals(parts[0]) || parts[4].isEmpty()) {
      throw invalid("cursor is not a cursor this service issued");
    }
    if (!sort.key().equals(parts[1])) {
      throw invalid(
          "cursor was issued for sort="
              + parts[1]
              + ", not sort="
              + sort.key()
              + "; start again without a cursor to change the order");
    }
    try {
      int fingerprint = Integer.parseUnsignedInt(parts[2], 16);
      if (fingerprint != query) {
        throw invalid(
            "cursor was issued for another query (text, mode or filters differ); start again"
                + " without a cursor");
      }
      boolean missing = "-".equals(parts[3]);
      double v = missing ? 0 : Double.longBitsToDouble(Long.parseUnsignedLong(parts[3], 16));
      return new Cursor(sort, query, missing, v, parts[4]);
    } catch (NumberFormatException e) {
      throw invalid("cursor is not a cursor this service issued");
    }
  }

  private static InvalidRequestException invalid(String message) {
    return new InvalidRequestException(
        "cursor", message + "; pass the nextCursor of the previous page unchanged");
  }
}
