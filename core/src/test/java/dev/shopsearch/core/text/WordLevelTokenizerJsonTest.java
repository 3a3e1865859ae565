package dev.shopsearch.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordLevelTokenizerJsonTest {
  private static final List<String> CORPUS =
      List.of(
          "Red floral dress 红色碎花连衣裙",
          "Blue cotton shirt, short-sleeved 蓝色棉质衬衫",
          "red leather handbag 红色皮革手提包",
          "Floral dress for summer 夏季碎花连衣裙");

  @TempDir Path tmp;

  private HuggingFaceTokenizer load(String json, Map<String, String> options) throws IOException {
    Path file = tmp.resolve("tokenizer-" + System.nanoTime() + ".json");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return HuggingFaceTokenizer.newInstance(file, options);
  }

  @Test
  void chineseSplitsIntoCharactersAndEnglishIntoWords() throws IOException {
    String json = WordLevelTokenizerJson.build(CORPUS, 1, 1000);
    try (HuggingFaceTokenizer tok = load(json, Map.of("addSpecialTokens", "true"))) {
      Encoding zh = tok.encode("红色碎花连衣裙");
      assertThat(zh.getTokens())
          .containsExactly("<|startoftext|>", "红", "色", "碎", "花", "连", "衣", "裙", "<|endoftext|>");
      assertThat(zh.getIds()).doesNotContain(0L);
      assertThat(zh.getIds()[0]).isEqualTo(1);
      assertThat(zh.getIds()[zh.getIds().length - 1]).isEqualTo(2);

      Encoding en = tok.encode("RED  Dress, short-sleeved!");
      assertThat(en.getTokens())
          .containsExactly(
              "<|startoftext|>",
              "red",
              "dress",
              ",",
              "short",
              "-",
              "sleeved",
              "[UNK]",
              "<|endoftext|>");
      assertThat(en.getIds()[7]).isZero();
    }
  }

  @Test
  void javaPreTokenizationMatchesTheTokenizer() throws IOException {
    List<String> samples =
        List.of(
            "Red floral dress 红色碎花连衣裙",
            "蓝色棉质衬衫，短袖。",
            "  Crème brûlée (size: XL) — 100% cotton ",
            "t-shirt/连衣裙\tmix");
    String json = WordLevelTokenizerJson.build(samples, 1, 1000);
    try (HuggingFaceTokenizer tok = load(json, Map.of("addSpecialTokens", "false"))) {
      for (String s : samples) {
        List<String> expected = WordLevelTokenizerJson.preTokenize(s);
        assertThat(Arrays.asList(tok.encode(s).getTokens())).as(s).isEqualTo(expected);
      }
    }
    assertThat(WordLevelTokenizerJson.preTokenize("Crème brûlée"))
        .containsExactly("crème", "brûlée");
  }

  @Test
  void vocabularyIsRankedByCountAndCapped() throws IOException {
    String json = WordLevelTokenizerJson.build(CORPUS, 2, 8);
    JsonNode vocab = TokenizerJsonParts.JSON.readTree(json).path("model").path("vocab");
    assertThat(vocab.path("[UNK]").asInt()).isZero();
    assertThat(vocab.path("<|startoftext|>").asInt()).isEqualTo(1);
    assertThat(vocab.path("<|endoftext|>").asInt()).isEqualTo(2);
    // 色 occurs 3 times, the most of any token; many tokens occur twice.
    assertThat(vocab.size()).isEqualTo(8);
    assertThat(vocab.path("色").asInt()).isEqualTo(3);
    assertThat(vocab.has("shirt")).isFalse(); // count 1 < minCount 2
  }

  @Test
  void padsWithEndOfText() throws IOException {
    String json = WordLevelTokenizerJson.build(CORPUS, 1, 1000);
    try (HuggingFaceTokenizer tok = load(json, Map.of("padding", "true"))) {
      Encoding[] batch = tok.batchEncode(List.of("red", "red floral dress"));
      assertThat(batch[0].getIds()).hasSize(5);
      assertThat(batch[0].getIds()[3]).isEqualTo(2);
      assertThat(batch[0].getIds()[4]).isEqualTo(2);
      assertThat(batch[0].getAttentionMask()).containsExactly(1, 1, 1, 0, 0);
    }
  }

  @Test
  void rejectsBadLimits() {
    assertThatThrownBy(() -> WordLevelTokenizerJson.build(CORPUS, 0, 100))
        .hasMessageContaining("minCount must be >= 1; minCount=0");
    assertThatThrownBy(() -> WordLevelTokenizerJson.build(CORPUS, 1, 3))
        .hasMessageContaining("maxVocab must be > 3 (the special tokens); maxVocab=3");
  }
}
