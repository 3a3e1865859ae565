package dev.shopsearch.core.catalog;

import java.util.Objects;

/**
 * A catalog row that was skipped. A reject never stops a run: the reader goes on with the next row.
 *
 * @param row 1-based line number where the row starts
 * @param id the product id when it could be read, else {@code null}
 * @param kind machine-readable category, for counting and tests
 * @param reason human-readable reason naming the field, the value and the rule
 * @param rawSnippet the start of the raw row text (at most {@link #SNIPPET_CHARS} characters)
 */
public record Reject(long row, String id, Kind kind, String reason, String rawSnippet)
    implements CatalogEntry {

  /** Longest raw snippet kept in a reject. */
  public static final int SNIPPET_CHARS = 200;

  /** Why a row was rejected. */
  public enum Kind {
    /** Not parseable: bad JSON, not a JSON object, wrong CSV field count, stray quote. */
    MALFORMED,
    /** The row is longer than the reader's record limit (often an unterminated CSV quote). */
    TOO_LONG,
    /** The id field is absent or blank. */
    MISSING_ID,
    /** An earlier accepted row has the same id; the first one wins. */
    DUPLICATE_ID,
    /** The price field is not a finite, non-negative number. */
    BAD_PRICE,
    /** Another field has a value of the wrong type or an unknown form (e.g. in-stock flag). */
    BAD_VALUE,
    /** No image reference and {@link FieldMapping#requireImages()} is set. */
    NO_IMAGES
  }

  public Reject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    rawSnippet = snippet(rawSnippet);
  }

  /** Shortens raw row text to {@link #SNIPPET_CHARS} characters, with an ellipsis when cut. */
  static String snippet(CharSequence raw) {
    if (raw == null) {
      return "";
    }
    if (raw.length() <= SNIPPET_CHARS) {
      return raw.toString();
    }
    return raw.subSequence(0, SNIPPET_CHARS - 1) + "…";
  }
}
