package dev.shopsearch.core.catalog;

import java.util.List;
import java.util.Set;

/**
 * Named values of one raw catalog record, independent of the file format (package-private). Blank
 * values and JSON nulls read as absent.
 */
interface SourceFields {

  /** The field names present in this record (CSV: the header). */
  Set<String> names();

  /**
   * The trimmed scalar value of {@code field}, or {@code null} when absent, null or blank.
   *
   * @throws BadFieldException when the value is not a scalar (a JSON array or object)
   */
  String text(String field);

  /**
   * The non-blank trimmed values of a field that may hold one value or a list. A scalar string is
   * split on {@code separator} when that is non-null.
   *
   * @throws BadFieldException when an element is not a scalar
   */
  List<String> list(String field, String separator);

  /** A field value that has the wrong shape (package-private). */
  final class BadFieldException extends RuntimeException {
    BadFieldException(String message) {
      super(message, null, false, false);
    }
  }
}
