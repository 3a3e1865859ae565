package dev.shopsearch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvRecordSourceTest {

  private static final String ALPHABET = "ab ,\"\n\r\té;|x";

  private static String encode(List<String> fields, String lineEnd) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      String f = fields.get(i);
      if (i > 0) {
        sb.append(',');
      }
      boolean quote = f.isEmpty() || f.chars().anyMatch(c -> ",\"\r\n".indexOf(c) >= 0);
      sb.append(quote ? '"' + f.replace("\"", "\"\"") + '"' : f);
    }
    return sb.append(lineEnd).toString();
  }

  @Test
  void randomRecordsRoundTrip() throws IOException {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    int columns = 4;
    List<String> header = List.of("c0", "c1", "c2", "c3");
    StringBuilder csv = new StringBuilder(encode(header, "\r\n"));
    List<List<String>> expected = new ArrayList<>();
    for (int r = 0; r < 300; r++) {
      List<String> row = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        StringBuilder f = new StringBuilder();
        int len = random.nextInt(8);
        for (int k = 0; k < len; k++) {
          f.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        row.add(c == 0 ? "id" + r : f.toString());
      }
      expected.add(row);
      csv.append(encode(row, random.nextBoolean() ? "\r\n" : "\n"));
    }
    try (CsvRecordSource source =
        new CsvRecordSource(new StringReader(csv.toString()), ',', 1000)) {
      assertThat(source.header()).isEqualTo(header);
      for (List<String> row : expected) {
        RawRecord record = source.next();
        assertThat(record.error()).as("seed %d", seed).isNull();
        for (int c = 0; c < columns; c++) {
          // Line ends inside values come back as \n; values are trimmed, blanks are absent.
          String want = row.get(c).replace("\r\n", "\n").replace('\r', '\n').strip();
          assertThat(record.fields().text(header.get(c)))
              .as("seed %d row %s col %d", seed, row.get(0), c)
              .isEqualTo(want.isEmpty() ? null : want);
        }
      }
      assertThat(source.next()).isNull();
    }
  }

  @Test
  void rowNumbersCountPhysicalLines() throws IOException {
    String csv = "a,b\n1,\"x\ny\nz\"\n\n2,w\r\n3,v";
    try (CsvRecordSource source = new CsvRecordSource(new StringReader(csv), ',', 1000)) {
      assertThat(source.next().row()).isEqualTo(2);
      assertThat(source.next().row()).isEqualTo(6);
      RawRecord last = source.next();
      assertThat(last.row()).isEqualTo(7);
      assertThat(last.fields().text("b")).isEqualTo("v");
      assertThat(source.next()).isNull();
    }
  }

  @Test
  void strayCharacterAfterClosingQuoteIsReported() throws IOException {
    try (CsvRecordSource source =
        new CsvRecordSource(new StringReader("a,b\n\"x\"y,1\n2,3\n"), ',', 1000)) {
      RawRecord bad = source.next();
      assertThat(bad.errorKind()).isEqualTo(Reject.Kind.MALFORMED);
      assertThat(bad.error()).contains("'y'").contains("field 1");
      assertThat(source.next().fields().text("a")).isEqualTo("2");
    }
  }

  @Test
  void quoteInsideUnquotedFieldIsLiteral() throws IOException {
    try (CsvRecordSource source =
        new CsvRecordSource(new StringReader("a,b\n5\" screen,1\n"), ',', 1000)) {
      assertThat(source.next().fields().text("a")).isEqualTo("5\" screen");
    }
  }

  @Test
  void headerProblemsFailFast() {
    assertThatThrownBy(() -> new CsvRecordSource(new StringReader("\n\n"), ',', 100))
        .hasMessageContaining("no header row");
    assertThatThrownBy(() -> new CsvRecordSource(new StringReader("id,name,id\n"), ',', 100))
        .hasMessageContaining("'id' twice");
    assertThatThrownBy(() -> new CsvRecordSource(new StringReader("id,,x\n"), ',', 100))
        .hasMessageContaining("column 2 has no name");
  }

  @Test
  void overlongQuotedRecordResumesOnNextLine() throws IOException {
    String csv = "a,b\n1,\"" + "z".repeat(50) + "\n2,ok\n3,\"fine\"\n";
    try (CsvRecordSource source = new CsvRecordSource(new StringReader(csv), ',', 40)) {
      RawRecord bad = source.next();
      assertThat(bad.errorKind()).isEqualTo(Reject.Kind.TOO_LONG);
      assertThat(bad.row()).isEqualTo(2);
      RawRecord two = source.next();
      assertThat(two.row()).isEqualTo(3);
      assertThat(two.fields().text("b")).isEqualTo("ok");
      assertThat(source.next().fields().text("b")).isEqualTo("fine");
      assertThat(source.next()).isNull();
    }
  }
}
