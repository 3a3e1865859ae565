package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpellingWordsTest {
  @Test
  void onlyAlphabeticWordsOfFourLettersOrMoreAreCorrectable() {
    assertThat(SpellingWords.words("Flroal dres, red 2x4 碎花 size42 Crème"))
        .extracting(SpellingWords.Word::term)
        .containsExactly("flroal", "dres", "crème");
  }

  @Test
  void rewriteReplacesTheCorrectedWordsAndKeepsTheRest() {
    String text = "Flroal  dres 碎花";
    List<SpellingWords.Word> words = SpellingWords.words(text);
    assertThat(SpellingWords.rewrite(text, words, Map.of("flroal", "floral", "dres", "dress")::get))
        .contains("floral  dress 碎花");
    assertThat(SpellingWords.rewrite(text, words, w -> null)).isEmpty();
  }

  @Test
  void twoEditsFromSevenLetters() {
    assertThat(SpellingWords.TWO_EDITS_FROM).isEqualTo(7);
    assertThat(SpellingWords.maxEdits("jakcet")).isEqualTo(1);
    assertThat(SpellingWords.maxEdits("sneekers")).isEqualTo(2);
  }
}
