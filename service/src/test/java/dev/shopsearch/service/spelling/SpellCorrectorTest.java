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

  private java.util.Optional<String> correct(String text) {
    return speller.correct(reader, TestIndex.metadata(2), text, true);
  }

  @Test
  void replacesUnknownWordsByTheClosestCatalogWord() {
    assertThat(correct("red flroal dres")).contains("red floral dress");
    assertThat(correct("Red FLROAL Dress")).contains("Red floral Dress");
    assertThat(correct("strpied  shrit")).contains("striped  shirt");
    assertThat(correct("blue viscoes")).as("description words count").contains("blue viscose");
  }

  @Test
  void keepsKnownShortNumericAndCjkWordsAsTyped() {
    assertThat(correct("red floral dress")).isEmpty();
    assertThat(correct("poplin")).as("in the description only").isEmpty();
    assertThat(correct("drs")).as("shorter than 4 letters").isEmpty();
    assertThat(correct("dress 38 xl2")).isEmpty();
    assertThat(correct("碎花 flroal")).contains("碎花 floral");
    assertThat(correct("zzzzzz")).as("nothing close").isEmpty();
  }

  @Test
  void twoEditsOnlyForLongWords() {
    // "dres" → "dress" is one edit in four letters; "drrs" needs two (0.5 < 0.7)
    assertThat(correct("dres")).contains("dress");
    assertThat(correct("drrs")).isEmpty();
    // seven letters take two edits: "strpeid" → "striped"
    assertThat(correct("stirpde")).contains("striped");
  }

  @Test
  void anIndexWithoutTheSpellingFieldUsesItsEnglishFields() throws IOException {
    // schema version 1 had no spelling field: name, categories and description are searched
    assertThat(speller.correct(reader, TestIndex.metadata(1), "red flroal dres", true))
        .contains("red floral dress");
    assertThat(speller.correct(reader, TestIndex.metadata(1), "blue viscoes", true))
        .contains("blue viscose");
  }

  @Test
  void shortOfTimeOnlyRememberedCorrectionsApply() {
    SpellCorrector fresh = new SpellCorrector();
    assertThat(fresh.correct(reader, TestIndex.metadata(2), "red flroal dres", false)).isEmpty();
    assertThat(fresh.correct(reader, TestIndex.metadata(2), "red flroal", true))
        .contains("red floral");
    assertThat(fresh.correct(reader, TestIndex.metadata(2), "Flroal dres", false))
        .as("flroal is remembered, dres was never looked up")
        .contains("floral dres");
  }
}
