package dev.shopsearch.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.TestTokenizerJson;
import dev.shopsearch.core.text.TokenBatch;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTextEncoderTest {
  static final EncoderOptions ONE_THREAD = new EncoderOptions(ExecutionProvider.CPU, 0, false, 1);
  static final String LONG_TEXT = "a much longer text about red leather handbags and shoes";

  @TempDir Path tmp;

  private ModelBundle pooledBundle(int dim) {
    return TestBundles.pooledBundle(tmp.resolve("pooled"), dim);
  }

  private ModelBundle causalBundle() {
    return TestBundles.causalBundle(tmp.resolve("causal"));
  }

  /** Shapes, unit norm, batch = single and thread safety: {@link OnnxEncoderContractTest}. */
  @Test
  void reportsItsProviderAndTellsTextsApart() {
    try (TextEncoder enc = Encoders.text(pooledBundle(8), ONE_THREAD)) {
      assertThat(enc.executionProvider()).isEqualTo(ActiveProvider.cpu());
      List<float[]> batch = enc.encode(List.of("a", LONG_TEXT, "blue cotton shirt"));
      assertThat(maxAbsDiff(batch.get(0), batch.get(2))).isGreaterThan(1e-3f);
      assertThat(maxAbsDiff(batch.get(0), batch.get(1))).isGreaterThan(1e-3f);
    }
  }

  @Test
  void badInputsFailWithClearMessages() {
    try (TextEncoder enc = Encoders.text(pooledBundle(8), ONE_THREAD)) {
      assertThatThrownBy(() -> enc.encode(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty");
      assertThatThrownBy(() -> enc.encode(" "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("blank");
      assertThatThrownBy(() -> enc.encode(Arrays.asList("a", null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("text 1 is null");
      List<String> tooMany = java.util.Collections.nCopies(OnnxTextEncoder.MAX_BATCH + 1, "a");
      assertThatThrownBy(() -> enc.encode(tooMany))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(Integer.toString(OnnxTextEncoder.MAX_BATCH));
    }
  }

  @Test
  void malformedTokenBatchesAreRejected() {
    try (OnnxTextEncoder enc = OnnxTextEncoder.load(pooledBundle(8), ONE_THREAD)) {
      assertThatThrownBy(
              () -> enc.encode(new TokenBatch(new long[] {1, 2}, new long[] {0, 0}, 1, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row 0 has no real tokens");
      assertThatThrownBy(
              () -> enc.encode(new TokenBatch(new long[] {1, 2}, new long[] {0, 1}, 1, 2)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not right-padded");
      assertThatThrownBy(() -> enc.encode(new TokenBatch(new long[78], new long[78], 1, 78)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxLength 77");
    }
  }

  /**
   * The padding proof: a causal tower with EOT pooling gives "a" the same vector alone, next to a
   * much longer text, and padded to 77 positions, because pooling reads position sum(mask) - 1.
   */
  @Test
  void causalEotVectorIgnoresPadding() throws Exception {
    ModelBundle bundle = causalBundle();
    try (OnnxTextEncoder enc = OnnxTextEncoder.load(bundle, ONE_THREAD)) {
      float[] alone = enc.encode("a");
      List<float[]> pair = enc.encode(List.of("a", LONG_TEXT));
      TokenBatch shortBatch = enc.tokenizer().encode(List.of("a", LONG_TEXT));
      assertThat(shortBatch.seqLen()).isEqualTo(12); // padded to the longest member, not 77

      long[] row = enc.tokenizer().ids("a");
      long[] ids = new long[77];
      long[] mask = new long[77];
      Arrays.fill(ids, TestTokenizerJson.EOS);
      System.arraycopy(row, 0, ids, 0, row.length);
      Arrays.fill(mask, 0, row.length, 1);
      float[] padded77 = enc.encode(new TokenBatch(ids, mask, 1, 77)).get(0);

      assertThat(pair.get(0)).containsExactly(alone, within(1e-5f));
      assertThat(padded77).containsExactly(alone, within(1e-5f));

      // Reference: raw session on the unpadded ids, EOT = last position, projection, L2 norm.
      float[] hidden =
          TestBundles.rawRun(
              bundle.resolve("text.onnx"), Map.of("input_ids", row), "last_hidden_state");
      float[] eot = Arrays.copyOfRange(hidden, (row.length - 1) * 12, row.length * 12);
      float[] w = Safetensors.readFloats(bundle.resolve("text_proj.st")).get("weight").data();
      float[] projected = new float[8];
      for (int i = 0; i < 12; i++) {
        for (int j = 0; j < 8; j++) {
          projected[j] += eot[i] * w[i * 8 + j];
        }
      }
      assertThat(alone).containsExactly(TestBundles.normalized(projected), within(1e-5f));

      // The padding is not inert to the model: pooling the padded row's last position differs.
      Arrays.fill(mask, 1);
      float[] poolingPads = enc.encode(new TokenBatch(ids, mask, 1, 77)).get(0);
      assertThat(maxAbsDiff(poolingPads, alone)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void meanPoolingWeightsByMaskAndFeedsTokenTypes() throws Exception {
    ModelBundle bundle =
        TestBundles.write(
            tmp.resolve("mean"),
            8,
            new TowerSpec(
                "text.onnx",
                List.of("input_ids", "attention_mask", "token_type_ids"),
                "last_hidden_state",
                Pooling.MEAN,
                null),
            TestGraphs.hiddenTextWithTypes(TestBundles.VOCAB, 8, 21),
            HfClipLayout.imageTower(),
            TestGraphs.pooledImage(TestBundles.IMAGE_SIZE, 8, 22),
            77,
            Map.of());
    try (OnnxTextEncoder enc = OnnxTextEncoder.load(bundle, ONE_THREAD)) {
      List<String> texts = List.of("red", LONG_TEXT);
      List<float[]> batch = enc.encode(texts);
      for (int k = 0; k < texts.size(); k++) {
        long[] row = enc.tokenizer().ids(texts.get(k));
        long[] ones = new long[row.length];
        Arrays.fill(ones, 1);
        float[] hidden =
            TestBundles.rawRun(
                bundle.resolve("text.onnx"),
                Map.of(
                    "input_ids",
                    row,
                    "attention_mask",
                    ones,
                    "token_type_ids",
                    new long[row.length]),
                "last_hidden_state");
        float[] mean = new float[8];
        for (int t = 0; t < row.length; t++) {
          for (int j = 0; j < 8; j++) {
            mean[j] += hidden[t * 8 + j] / row.length;
          }
        }
        assertThat(batch.get(k)).containsExactly(TestBundles.normalized(mean), within(1e-5f));
      }
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }
}
