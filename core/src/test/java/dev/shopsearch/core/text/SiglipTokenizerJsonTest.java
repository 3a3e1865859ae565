package dev.shopsearch.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.text.SiglipTokenizerJson.Piece;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SigLIP's SentencePiece Unigram tokenizer as a bundle runs it: {@link SiglipTokenizerJson} through
 * {@link BundleTokenizer} (lower case, whitespace clean-up, truncation keeping {@code </s>},
 * padding with {@code </s>}). The Viterbi segmentations are worked out by hand from the piece
 * scores, and every title is compared with Hugging Face's tokenizers library (DJL) run directly on
 * the same file after the same lower-casing and whitespace clean-up.
 */
class SiglipTokenizerJsonTest {
  private static final String S = SiglipTokenizerJson.SPACE;

  /** Pieces with their log probabilities; ids start at 3. */
  static final List<Piece> PIECES =
      List.of(
          new Piece(S + "red", -3), // 3
          new Piece(S + "r", -6), // 4
          new Piece("ed", -5), // 5
          new Piece(S + "dress", -4), // 6
          new Piece("ress", -6), // 7
          new Piece(S, -3), // 8
          new Piece("r", -7), // 9
          new Piece("e", -7), // 10
          new Piece("d", -7), // 11
          new Piece("s", -7), // 12
          new Piece(S + "blue", -4), // 13
          new Piece(S + "jean", -4.5), // 14
          new Piece(S + "jeans", -5), // 15
          new Piece(S + "café", -5), // 16
          new Piece(S + "caf", -6), // 17
          new Piece("é", -6), // 18
          new Piece(S + "红", -5.5), // 19
          new Piece("红", -5), // 20
          new Piece("色", -5), // 21
          new Piece("连衣裙", -6), // 22
          new Piece("连", -7), // 23
          new Piece("衣", -7), // 24
          new Piece("裙", -7), // 25
          new Piece(S + "cotton", -5), // 26
          new Piece(S + "100", -6)); // 27

  /** English, Chinese, mixed, accents, emoji, punctuation, odd spacing, an over-long text. */
  private static final List<String> TITLES =
      List.of(
          "red dress",
          "Red, Dress!!",
          "redress",
          "红色连衣裙",
          "Blue JEANS 红色连衣裙",
          "Café crème brûlée",
          "👗 dress 🔥🔥",
          "  red\t\tdress\n blue ",
          "100% cotton (navy/blue) - jeans",
          "Tiếng Việt áo dài",
          "red dress ".repeat(40));

  @TempDir static Path tmp;
  private static Path file;

  @BeforeAll
  static void build() throws IOException {
    file = tmp.resolve("tokenizer.json");
    Files.writeString(file, SiglipTokenizerJson.build(PIECES, 16), StandardCharsets.UTF_8);
  }

  private static BundleTokenizer bundle() {
    return BundleTokenizer.load(file, new TextSpec("tokenizer.json", 16, true));
  }

  @Test
  void viterbiPicksTheMostProbableSegmentation() {
    try (BundleTokenizer tok = bundle()) {
      assertThat(tok.ids("red dress")).containsExactly(3, 6, 1);
      // Punctuation is dropped and the text lower-cased.
      assertThat(tok.ids("Red, Dress!!")).containsExactly(3, 6, 1);
      // ▁red + ress (-9) beats ▁r + ed + ress (-17) and the single letters.
      assertThat(tok.ids("redress")).containsExactly(3, 7, 1);
      // ▁红 + 色 + 连衣裙 (-16.5) beats ▁ + 红 + 色 + 连衣裙 (-19) and single characters.
      assertThat(tok.ids("红色连衣裙")).containsExactly(19, 21, 22, 1);
      // ▁jeans (-5) beats ▁jean + s (-11.5); ▁café (-5) beats ▁caf + é (-12).
      assertThat(tok.ids("blue jeans café")).containsExactly(13, 15, 16, 1);
      // An emoji is no piece: ▁ then <unk>.
      assertThat(tok.ids("👗 dress")).containsExactly(8, 2, 6, 1);
    }
  }

  @Test
  void matchesHuggingFaceTokenizersOnTheSameFile() throws IOException {
    try (BundleTokenizer tok = bundle();
        HuggingFaceTokenizer hf =
            HuggingFaceTokenizer.newInstance(
                file,
                Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "maxLength", "16",
                    "padding", "false"))) {
      for (String title : TITLES) {
        String clean = title.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        long[] expected = hf.encode(clean).getIds();
        assertThat(tok.ids(title)).as(title).containsExactly(expected);
        assertThat(expected).as(title).endsWith(1L).hasSizeLessThanOrEqualTo(16);
      }
      // The library on an empty text gives only </s>; a bundle refuses blank text by contract.
      assertThat(hf.encode("").getIds()).containsExactly(1L);
      assertThatThrownBy(() -> tok.ids("  ")).hasMessageContaining("blank");
    }
  }

  @Test
  void truncatesKeepingEosAndPadsWithEos() {
    try (BundleTokenizer tok = bundle()) {
      long[] longIds = tok.ids("red dress ".repeat(40));
      assertThat(longIds).hasSize(16).endsWith(1L);
      assertThat(tok.padId()).as("SigLIP pads with </s>").isEqualTo(1L);
      TokenBatch batch = tok.encode(List.of("red", "red dress blue"));
      assertThat(batch.seqLen()).isEqualTo(4);
      assertThat(batch.ids()).containsExactly(3, 1, 1, 1, 3, 6, 13, 1);
      assertThat(batch.mask()).containsExactly(1, 1, 0, 0, 1, 1, 1, 1);
    }
  }

  @Test
  void refusesDuplicateAndSpecialPieces() {
    List<Piece> dup = new ArrayList<>(PIECES);
    dup.add(new Piece(S + "red", -1));
    assertThatThrownBy(() -> SiglipTokenizerJson.build(dup, 16))
        .hasMessageContaining("piece 25 '" + S + "red' is a duplicate");
    assertThatThrownBy(() -> SiglipTokenizerJson.build(List.of(new Piece("</s>", -1)), 16))
        .hasMessageContaining("special token");
    assertThatThrownBy(() -> new Piece("x", 0.5)).hasMessageContaining("score=0.5");
  }
}
