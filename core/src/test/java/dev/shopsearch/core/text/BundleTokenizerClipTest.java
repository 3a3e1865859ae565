package dev.shopsearch.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BundleTokenizer} on the real CLIP vocabulary (skipped when ../shared is absent). */
class BundleTokenizerClipTest {
  static final long BOS = 49406;
  static final long EOS = 49407;

  @TempDir static Path tmp;
  static Path tokenizerJson;

  @BeforeAll
  static void writeTokenizer() throws Exception {
    Path bpe = SharedData.require("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    tokenizerJson = tmp.resolve("tokenizer.json");
    Files.writeString(tokenizerJson, ClipBpeTokenizerJson.fromBpeVocab(bpe));
  }

  private static BundleTokenizer clip(int maxLength) {
    return BundleTokenizer.load(tokenizerJson, new TextSpec("tokenizer.json", maxLength, true));
  }

  @Test
  void knownClipIds() {
    try (BundleTokenizer t = clip(77)) {
      assertThat(t.ids("a photo of a cat")).containsExactly(BOS, 320, 1125, 539, 320, 2368, EOS);
      assertThat(t.ids("red leather handbag")).containsExactly(BOS, 736, 5862, 22654, EOS);
      assertThat(t.ids("  A Photo   of a CAT ")).containsExactly(t.ids("a photo of a cat"));
    }
  }

  @Test
  void padsWithEndOfTextAndTruncatesKeepingIt() {
    try (BundleTokenizer t = clip(77)) {
      assertThat(t.padId()).isEqualTo(EOS);
      TokenBatch b = t.encode(List.of("red leather handbag", "a photo of a cat"));
      assertThat(b.seqLen()).isEqualTo(7);
      assertThat(b.row(0)).containsExactly(BOS, 736, 5862, 22654, EOS);
      assertThat(b.ids()).startsWith(BOS, 736, 5862, 22654, EOS, EOS, EOS);
      assertThat(b.mask()).startsWith(1, 1, 1, 1, 1, 0, 0);

      long[] long77 = t.ids("red leather handbag ".repeat(40));
      assertThat(long77).hasSize(77);
      assertThat(long77[0]).isEqualTo(BOS);
      assertThat(long77[76]).isEqualTo(EOS);
      assertThat(long77[75]).isNotEqualTo(EOS);
    }
    try (BundleTokenizer t = clip(8)) {
      assertThat(t.ids("a photo of a cat on a red leather handbag"))
          .containsExactly(BOS, 320, 1125, 539, 320, 2368, 525, EOS);
    }
  }
}
