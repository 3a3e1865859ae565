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
 * @param limit for {@link Kind#FIELD_TOO_LONG}: the field, its length and the limit; else {@code
 *     null}
 */
public record Reject(long row, String id, Kind kind, String reason, String rawSnippet, Limit limit)
    implements CatalogEntry {

  /** Longest raw snippet kept in a reject. */
  public static final int SNIPPET_CHARS = 200;

  /** Longest id kept in a reject; a longer one is cut (with an ellipsis) for the report. */
  public static final int ID_CHARS = 200;

  /**
   * A value longer than its {@link FieldLimits limit}.
   *
   * @param field the catalog's field name (CSV column or JSON key) that held the value
   * @param length the value's length in characters
   * @param limit the limit in characters
   */
  public record Limit(String field, int length, int limit) {}

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
    NO_IMAGES,
    /** A field value is longer than its {@link FieldLimits limit}; see {@link Reject#limit()}. */
    FIELD_TOO_LONG
  }

  public Reject {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    rawSnippet = snippet(rawSnippet);
    id = id == null || id.length() <= ID_CHARS ? id : id.substring(0, ID_CHARS - 1) + "…";
  }

  /** A reject without a {@link Limit}. */
  public Reject(long row, String id, Kind kind, String reason, String rawSnippet) {
    this(row, id, kind, reason, rawSnippet, null);
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
