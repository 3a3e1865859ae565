package dev.shopsearch.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.shopsearch.core.testing.SharedData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipBpeTokenizerJsonTest {
  @TempDir static Path tmp;
  private static Path tokenizerJson;

  @BeforeAll
  static void build() throws IOException {
    Path bpe = SharedData.require("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    tokenizerJson = tmp.resolve("clip/tokenizer.json");
    ClipBpeTokenizerJson.write(bpe, tokenizerJson, ClipBpeTokenizerJson.CONTEXT_LENGTH);
  }

  private static HuggingFaceTokenizer load() throws IOException {
    return HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("addSpecialTokens", "true"));
  }

  @Test
  void tokenisesLikeOpenAiClip() throws IOException {
    try (HuggingFaceTokenizer tok = load()) {
      assertThat(tok.encode("a photo of a cat").getIds())
          .containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
      assertThat(tok.encode("red leather handbag").getIds())
          .containsExactly(49406, 736, 5862, 22654, 49407);
      // Upper case and runs of whitespace are normalised away.
      assertThat(tok.encode("  Red   LEATHER\thandbag ").getIds())
          .containsExactly(49406, 736, 5862, 22654, 49407);
    }
  }

  @Test
  void vocabularyLayoutFollowsSimpleTokenizer() throws IOException {
    var root = TokenizerJsonParts.JSON.readTree(tokenizerJson.toFile());
    var vocab = root.path("model").path("vocab");
    assertThat(vocab.size()).isEqualTo(ClipBpeTokenizerJson.VOCAB_SIZE);
    assertThat(vocab.path("!").asInt()).isEqualTo(0);
    assertThat(vocab.path("!</w>").asInt()).isEqualTo(256);
    assertThat(vocab.path("Ā").asInt())
        .isEqualTo(188); // byte 0 maps to U+0100 after 188 printables
    assertThat(vocab.path("<|startoftext|>").asInt()).isEqualTo(49406);
    assertThat(vocab.path("<|endoftext|>").asInt()).isEqualTo(49407);
    assertThat(root.path("model").path("merges").size()).isEqualTo(ClipBpeTokenizerJson.MERGES);
  }

  @Test
  void padsWithEndOfTextAndTruncates() throws IOException {
    try (HuggingFaceTokenizer tok =
        HuggingFaceTokenizer.newInstance(
            tokenizerJson, Map.of("padding", "true", "truncation", "true", "maxLength", "5"))) {
      Encoding[] batch = tok.batchEncode(List.of("a cat", "a photo of a cat"));
      assertThat(batch[0].getIds()).containsExactly(49406, 320, 2368, 49407, 49407);
      assertThat(batch[0].getAttentionMask()).containsExactly(1, 1, 1, 1, 0);
      assertThat(batch[1].getIds()).containsExactly(49406, 320, 1125, 539, 49407);
    }
  }

  @Test
  void rejectsATruncatedMergesFile() throws IOException {
    Path bad = tmp.resolve("short.txt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bad))) {
      out.write("#version: 0.2\ni n\nt h\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> ClipBpeTokenizerJson.fromBpeVocab(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 2 merges; CLIP needs 48894");
  }

  @Test
  void bytesToUnicodeCoversEveryByteOnce() {
    List<String> chars = ClipBpeTokenizerJson.bytesToUnicode();
    assertThat(chars).hasSize(256).doesNotHaveDuplicates();
    assertThat(chars.get(0)).isEqualTo("!");
    assertThat(chars.get(255)).isEqualTo(Character.toString(256 + 67));
  }
}
