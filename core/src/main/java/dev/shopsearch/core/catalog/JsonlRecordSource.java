package dev.shopsearch.core.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Streams JSON Lines (package-private): one JSON object per line, parsed with Jackson. Blank lines
 * are skipped; a line that is not one JSON object (bad syntax, trailing tokens, an array) or that
 * is longer than {@code maxRecordChars} becomes a failed {@link RawRecord}. Memory is bounded by
 * the line limit. Field names may be dotted paths into nested objects ({@code price.amount}) when
 * no top-level key has that exact name. Not thread-safe.
 */
final class JsonlRecordSource implements RecordSource {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final CharSource in;
  private final int maxRecordChars;

  JsonlRecordSource(Reader reader, int maxRecordChars) {
    this.in = new CharSource(reader);
    this.maxRecordChars = maxRecordChars;
  }

  @Override
  public RawRecord next() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      long row = in.line();
      line.setLength(0);
      int c = in.read();
      if (c == CharSource.EOF) {
        return null;
      }
      boolean tooLong = false;
      while (c != CharSource.EOF && c != '\n') {
        if (line.length() >= maxRecordChars) {
          tooLong = true;
          in.skipLine();
          break;
        }
        line.append((char) c);
        c = in.read();
      }
      if (tooLong) {
        return RawRecord.failed(
            row,
            line.toString(),
            Reject.Kind.TOO_LONG,
            String.format(
                Locale.ROOT, "line is longer than the limit of %d characters", maxRecordChars));
      }
      if (line.toString().isBlank()) {
        continue;
      }
      return parse(row, line.toString());
    }
  }

  private static RawRecord parse(long row, String line) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JacksonException e) {
      return RawRecord.failed(
          row, line, Reject.Kind.MALFORMED, "invalid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode object)) {
      return RawRecord.failed(
          row,
          line,
          Reject.Kind.MALFORMED,
          "expected a JSON object but found " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return RawRecord.parsed(row, new JsonFields(object), line);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Values of one JSON object. */
  private record JsonFields(ObjectNode object) implements SourceFields {

    @Override
    public Set<String> names() {
      Set<String> names = new LinkedHashSet<>();
      object.fieldNames().forEachRemaining(names::add);
      return names;
    }

    private JsonNode node(String field) {
      JsonNode node = object.get(field);
      if (node == null && field.indexOf('.') > 0) {
        node = object;
        for (String part : field.split("\\.", -1)) {
          node = node == null ? null : node.get(part);
        }
      }
      return node == null || node.isNull() || node.isMissingNode() ? null : node;
    }

    @Override
    public String text(String field) {
      JsonNode node = node(field);
      return node == null ? null : scalar(field, node);
    }

    @Override
    public List<String> list(String field, String separator) {
      JsonNode node = node(field);
      if (node == null) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      if (node.isArray()) {
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
          JsonNode element = it.next();
          String v = element.isNull() ? null : scalar(field, element);
          if (v != null) {
            out.add(v);
          }
        }
        return out;
      }
      String v = scalar(field, node);
      if (v == null) {
        return out;
      }
      if (separator == null || separator.isEmpty()) {
        out.add(v);
        return out;
      }
      for (String part : v.split(java.util.regex.Pattern.quote(separator), -1)) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
      return out;
    }

    private static String scalar(String field, JsonNode node) {
      if (node.isContainerNode()) {
        throw new SourceFields.BadFieldException(
            "field '"
                + field
                + "' must be a string, number or boolean but is a JSON "
                + node.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      String v = node.asText().strip();
      return v.isEmpty() ? null : v;
    }
  }
}
