package dev.shopsearch.core.text;

import static dev.shopsearch.core.text.TestTokenizerJson.BOS;
import static dev.shopsearch.core.text.TestTokenizerJson.EOS;
import static dev.shopsearch.core.text.TestTokenizerJson.UNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.TextSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTokenizerTest {
  static final List<String> WORDS = List.of("a", "red", "leather", "handbag", "Red");
  static final long A = 4;
  static final long RED = 5;
  static final long LEATHER = 6;
  static final long HANDBAG = 7;
  static final long RED_UPPER = 8;

  @TempDir Path tmp;

  private BundleTokenizer tokenizer(int maxLength, boolean lowercase, long padId) throws Exception {
    Path file = tmp.resolve("tokenizer-" + padId + ".json");
    Files.writeString(file, TestTokenizerJson.wordLevel(WORDS, padId));
    return BundleTokenizer.load(file, new TextSpec("tokenizer.json", maxLength, lowercase));
  }

  @Test
  void addsSpecialTokensAndLowercasesPerSpec() throws Exception {
    try (BundleTokenizer lower = tokenizer(16, true, -1);
        BundleTokenizer keep = tokenizer(16, false, -1)) {
      assertThat(lower.ids("Red  leather\thandbag "))
          .containsExactly(BOS, RED, LEATHER, HANDBAG, EOS);
      assertThat(keep.ids("Red leather")).containsExactly(BOS, RED_UPPER, LEATHER, EOS);
      assertThat(keep.ids("blue")).containsExactly(BOS, UNK, EOS);
    }
  }

  @Test
  void padsToTheLongestMemberOnlyWithThePadIdFromTheFile() throws Exception {
    try (BundleTokenizer t = tokenizer(77, true, 2)) {
      assertThat(t.padId()).isEqualTo(2);
      TokenBatch b = t.encode(List.of("a", "red leather handbag"));
      assertThat(b.batch()).isEqualTo(2);
      assertThat(b.seqLen()).isEqualTo(5);
      assertThat(b.ids()).containsExactly(BOS, A, EOS, 2, 2, BOS, RED, LEATHER, HANDBAG, EOS);
      assertThat(b.mask()).containsExactly(1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
      assertThat(b.length(0)).isEqualTo(3);
      assertThat(b.row(0)).containsExactly(BOS, A, EOS);
    }
    try (BundleTokenizer t = tokenizer(77, true, -1)) {
      assertThat(t.padId()).isZero();
      assertThat(t.encode(List.of("a", "a a")).ids()).containsExactly(BOS, A, EOS, 0, 1, A, A, EOS);
    }
  }

  @Test
  void truncationKeepsTheEndOfTextToken() throws Exception {
    try (BundleTokenizer t = tokenizer(5, true, -1)) {
      String longText = "red leather handbag a red leather handbag";
      assertThat(t.ids(longText)).containsExactly(BOS, RED, LEATHER, HANDBAG, EOS);
      assertThat(t.ids("a red leather")).containsExactly(BOS, A, RED, LEATHER, EOS);
      TokenBatch b = t.encode(List.of("a", longText));
      assertThat(b.seqLen()).isEqualTo(5);
      assertThat(b.row(1)).hasSize(5).endsWith(EOS);
    }
  }

  @Test
  void badTextsAreRejectedWithTheirIndex() throws Exception {
    try (BundleTokenizer t = tokenizer(16, true, -1)) {
      assertThatThrownBy(() -> t.encode(List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> t.encode(List.of("a", "  \n")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text 1 is blank");
      assertThatThrownBy(() -> t.encode(Arrays.asList("a", null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text 1 is null");
      String huge = "a ".repeat(BundleTokenizer.MAX_CHARS);
      assertThatThrownBy(() -> t.ids(huge))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Integer.toString(BundleTokenizer.MAX_CHARS));
    }
  }

  @Test
  void missingOrBrokenFilesAreNamed() throws Exception {
    Path missing = tmp.resolve("nope.json");
    TextSpec spec = new TextSpec("tokenizer.json", 8, true);
    assertThatThrownBy(() -> BundleTokenizer.load(missing, spec))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(missing.toString());
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "{\"model\": 3}");
    assertThatThrownBy(() -> BundleTokenizer.load(broken, spec))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining(broken.toString());
  }

  @Test
  void concurrentUseGivesTheSameIds() throws Exception {
    try (BundleTokenizer t = tokenizer(16, true, -1)) {
      List<String> texts = List.of("a", "red leather", "handbag a red", "leather leather a");
      List<long[]> expected = texts.stream().map(t::ids).toList();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> futures = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
          futures.add(
              pool.submit(
                  () -> {
                    for (int r = 0; r < 200; r++) {
                      for (int i = 0; i < texts.size(); i++) {
                        if (!Arrays.equals(t.ids(texts.get(i)), expected.get(i))) {
                          return false;
                        }
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : futures) {
          assertThat(f.get()).isTrue();
        }
      } finally {
        pool.shutdown();
      }
    }
  }
}
