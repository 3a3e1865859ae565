package dev.shopsearch.core.catalog;

/**
 * One record as read from the file, before mapping (package-private).
 *
 * @param row 1-based line where the record starts
 * @param fields the parsed fields, or {@code null} when the record could not be parsed
 * @param raw raw text of the record (possibly cut), for reject snippets
 * @param errorKind why parsing failed, or {@code null}
 * @param error human-readable parse error, or {@code null}
 */
record RawRecord(long row, SourceFields fields, String raw, Reject.Kind errorKind, String error) {

  static RawRecord parsed(long row, SourceFields fields, String raw) {
    return new RawRecord(row, fields, raw, null, null);
  }

  static RawRecord failed(long row, String raw, Reject.Kind kind, String error) {
    return new RawRecord(row, null, raw, kind, error);
  }

  Reject toReject() {
    return new Reject(row, null, errorKind, error, raw);
  }
}
