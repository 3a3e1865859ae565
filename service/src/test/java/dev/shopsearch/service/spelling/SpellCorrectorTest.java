package dev.shopsearch.service.spelling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SpellCorrectorTest {
  static DirectoryReader reader;
  final SpellCorrector speller = new SpellCorrector();

  private static Product product(String id, String name, String description, String pattern) {
    return new Product(
        id,
        name,
        description,
        List.of("Women / Dresses"),
        "red",
        10.0,
        true,
        List.of("a.jpg"),
        Map.of("pattern", List.of(pattern)),
        1);
  }

  @BeforeAll
  static void index() throws IOException {
    reader =
        TestIndex.inMemory(
            List.of(
                product("a", "Red Floral Dress", "Light cotton poplin", "floral"),
                product("b", "Blue Striped Shirt", "Breathable linen", "striped"),
                product("c", "Green Polka Dress", "Flowing viscose", "polka-dot")));
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
  }

  @Test
  void replacesUnknownWordsByTheClosestCatalogWord() {
    assertThat(speller.correct(reader, "red flroal dres")).contains("red floral dress");
    assertThat(speller.correct(reader, "Red FLROAL Dress")).contains("Red floral Dress");
    assertThat(speller.correct(reader, "strpied  shrit")).contains("striped  shirt");
    assertThat(speller.correct(reader, "blue viscoes"))
        .as("description words count")
        .contains("blue viscose");
  }

  @Test
  void keepsKnownShortNumericAndCjkWordsAsTyped() {
    assertThat(speller.correct(reader, "red floral dress")).isEmpty();
    assertThat(speller.correct(reader, "poplin")).as("in the description only").isEmpty();
    assertThat(speller.correct(reader, "drs")).as("shorter than 4 letters").isEmpty();
    assertThat(speller.correct(reader, "dress 38 xl2")).isEmpty();
    assertThat(speller.correct(reader, "碎花 flroal")).contains("碎花 floral");
    assertThat(speller.correct(reader, "zzzzzz")).as("nothing close").isEmpty();
  }

  @Test
  void twoEditsOnlyForLongWords() {
    // "dres" → "dress" is one edit in four letters; "drrs" needs two (0.5 < 0.7)
    assertThat(speller.correct(reader, "dres")).contains("dress");
    assertThat(speller.correct(reader, "drrs")).isEmpty();
    // seven letters take two edits: "strpeid" → "striped"
    assertThat(speller.correct(reader, "stirpde")).contains("striped");
  }
}
