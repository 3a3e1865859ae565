package dev.shopsearch.core.catalog;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming RFC 4180 parser (package-private): a header row, quoted fields with embedded
 * delimiters, doubled quotes and newlines, CRLF or LF line ends, an optional byte-order mark.
 *
 * <p>Memory is bounded by {@code maxRecordChars}. Malformed records become failed {@link
 * RawRecord}s and parsing goes on: a wrong field count or a stray character after a closing quote
 * skips that record; an unterminated quote (or a record over the limit) skips only the line where
 * the record started, and parsing resumes on the next line. Blank lines are skipped. Line ends
 * inside quoted values are returned as {@code \n}. Not thread-safe.
 */
final class CsvRecordSource implements RecordSource {

  private final CharSource in;
  private final char delimiter;
  private final int maxRecordChars;
  private final List<String> header;
  private final Map<String, Integer> columns;

  CsvRecordSource(Reader reader, char delimiter, int maxRecordChars) throws IOException {
    this.in = new CharSource(reader);
    this.delimiter = delimiter;
    this.maxRecordChars = maxRecordChars;
    Parsed first;
    do {
      first = parse();
    } while (first != null && first.blank());
    if (first == null) {
      throw new IllegalArgumentException("CSV catalog is empty: no header row");
    }
    if (first.error() != null) {
      throw new IllegalArgumentException(
          "CSV header (line " + first.row() + ") is malformed: " + first.error());
    }
    Map<String, Integer> index = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (String raw : first.fields()) {
      String name = raw.strip();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            "CSV header column " + (names.size() + 1) + " has no name; header: " + first.fields());
      }
      if (index.putIfAbsent(name, names.size()) != null) {
        throw new IllegalArgumentException(
            "CSV header names column '" + name + "' twice; header: " + first.fields());
      }
      names.add(name);
    }
    this.header = List.copyOf(names);
    this.columns = Collections.unmodifiableMap(index);
  }

  /** The header's column names, in file order. */
  List<String> header() {
    return header;
  }

  @Override
  public RawRecord next() throws IOException {
    Parsed p;
    do {
      p = parse();
    } while (p != null && p.blank());
    if (p == null) {
      return null;
    }
    if (p.error() != null) {
      return RawRecord.failed(p.row(), p.raw(), p.kind(), p.error());
    }
    if (p.fields().size() != header.size()) {
      return RawRecord.failed(
          p.row(),
          p.raw(),
          Reject.Kind.MALFORMED,
          String.format(
              Locale.ROOT,
              "expected %d fields (as in the header) but found %d",
              header.size(),
              p.fields().size()));
    }
    return RawRecord.parsed(p.row(), new CsvFields(columns, p.fields()), p.raw());
  }

  private record Parsed(long row, List<String> fields, String raw, Reject.Kind kind, String error) {
    boolean blank() {
      return error == null && raw.isBlank();
    }
  }

  /** Parses one record; {@code null} at end of input. */
  private Parsed parse() throws IOException {
    long start = in.line();
    int c = in.read();
    if (c == CharSource.EOF) {
      return null;
    }
    StringBuilder raw = new StringBuilder();
    StringBuilder field = new StringBuilder();
    List<String> fields = new ArrayList<>();
    boolean quoted = false;
    boolean fieldStart = true;
    boolean afterQuote = false;
    String error = null;
    while (true) {
      if (c == CharSource.EOF && quoted) {
        return resync(start, raw, Reject.Kind.MALFORMED, "unterminated quoted field");
      }
      if (c == CharSource.EOF || (c == '\n' && !quoted)) {
        fields.add(field.toString());
        Reject.Kind kind = error == null ? null : Reject.Kind.MALFORMED;
        return new Parsed(start, fields, raw.toString(), kind, error);
      }
      raw.append((char) c);
      if (raw.length() > maxRecordChars) {
        String message =
            String.format(
                Locale.ROOT, "record is longer than the limit of %d characters", maxRecordChars);
        if (quoted) {
          return resync(start, raw, Reject.Kind.TOO_LONG, message + " (unterminated quote?)");
        }
        in.skipLine();
        return new Parsed(start, List.of(), raw.toString(), Reject.Kind.TOO_LONG, message);
      }
      if (quoted) {
        if (c == '"') {
          int next = in.read();
          if (next != '"') {
            quoted = false;
            afterQuote = true;
            c = next;
            continue;
          }
          raw.append('"');
        }
        field.append((char) c);
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        fieldStart = true;
        afterQuote = false;
      } else if (c == '"' && fieldStart) {
        quoted = true;
        fieldStart = false;
      } else {
        if (afterQuote && error == null) {
          error =
              String.format(
                  Locale.ROOT,
                  "unexpected character '%c' after the closing quote of field %d",
                  (char) c,
                  fields.size() + 1);
        }
        field.append((char) c);
        fieldStart = false;
      }
      c = in.read();
    }
  }

  /**
   * Gives up on the record starting at {@code start}: everything read after its first line is put
   * back, so that only that line is lost.
   */
  private Parsed resync(long start, StringBuilder raw, Reject.Kind kind, String message)
      throws IOException {
    int newline = raw.indexOf("\n");
    if (newline >= 0) {
      in.unread(raw.substring(newline + 1), start + 1);
    } else {
      in.skipLine();
    }
    String firstLine = newline >= 0 ? raw.substring(0, newline) : raw.toString();
    return new Parsed(
        start,
        List.of(),
        firstLine,
        kind,
        message + "; skipped line " + start + " and resumed on the next line");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Values of one CSV record addressed by header name. */
  private record CsvFields(Map<String, Integer> columns, List<String> values)
      implements SourceFields {

    @Override
    public java.util.Set<String> names() {
      return columns.keySet();
    }

    @Override
    public String text(String field) {
      Integer i = columns.get(field);
      if (i == null) {
        return null;
      }
      String v = values.get(i).strip();
      return v.isEmpty() ? null : v;
    }

    @Override
    public List<String> list(String field, String separator) {
      String v = text(field);
      if (v == null) {
        return List.of();
      }
      if (separator == null || separator.isEmpty()) {
        return List.of(v);
      }
      List<String> out = new ArrayList<>();
      int from = 0;
      while (from <= v.length()) {
        int at = v.indexOf(separator, from);
        int end = at < 0 ? v.length() : at;
        String part = v.substring(from, end).strip();
        if (!part.isEmpty()) {
          out.add(part);
        }
        if (at < 0) {
          break;
        }
        from = at + separator.length();
      }
      return out;
    }
  }
}
