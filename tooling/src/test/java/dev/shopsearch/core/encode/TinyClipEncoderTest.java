package dev.shopsearch.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.text.TokenBatch;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoders on a real (tiny, random-weight) CLIP graph from {@code ClipGraphWriter}. */
class TinyClipEncoderTest {
  static final EncoderOptions CPU = new EncoderOptions(ExecutionProvider.CPU, 0, false, 1);
  static final String LONG =
      "red leather handbag with gold chain strap and black cotton lining for women";

  @TempDir Path tmp;

  /** Shapes, unit norm, batch = single and thread safety: {@link OnnxEncoderContractTest}. */
  @Test
  void lowerCasedAndDistinctTexts() {
    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("tiny"), 5);
    try (TextEncoder enc = Encoders.text(bundle, CPU)) {
      assertThat(enc.dim()).isEqualTo(TinyClipBundle.DIM);
      List<String> texts = List.of("red", LONG, "blue denim jeans", "红色连衣裙", "Red");
      List<float[]> batch = enc.encode(texts);
      // Lower-casing per TextSpec: "Red" and "red" are the same query.
      assertThat(batch.get(4)).containsExactly(batch.get(0), within(1e-6f));
      assertThat(OnnxTextEncoderTest.maxAbsDiff(batch.get(0), batch.get(2))).isGreaterThan(1e-3f);
    }
  }

  /**
   * The padding proof on the real causal CLIP text tower (EOT pooled in the graph at {@code
   * sum(attention_mask) - 1}): "red" alone, next to a long text, and padded to 77 positions gives
   * the same vector.
   */
  @Test
  void causalClipTowerIsExactUnderPadding() {
    String tokenizer = TinyClipBundle.tokenizerJson();
    ClipConfig tiny = TinyClipBundle.config(4096);
    ClipConfig config =
        new ClipConfig(
            new ClipConfig.TextTower(4096, 77, 64, 2, 4),
            tiny.image(),
            tiny.embedDim(),
            tiny.activation(),
            tiny.layerNormEps());
    ModelBundle bundle =
        ClipBundleExporter.export(
            tmp.resolve("ctx77"),
            config,
            ClipWeights.random(config, 6),
            tokenizer.getBytes(StandardCharsets.UTF_8),
            "tiny-clip-77",
            "1",
            Map.of(),
            new TextSpec("tokenizer.json", 77, true),
            ImageSpec.clip(TinyClipBundle.IMAGE_SIZE));
    assertThat(bundle.manifest().text().pooling()).isEqualTo(Pooling.NONE);
    try (OnnxTextEncoder enc = OnnxTextEncoder.load(bundle, CPU)) {
      float[] alone = enc.encode("red");
      List<float[]> pair = enc.encode(List.of("red", LONG));
      assertThat(enc.tokenizer().encode(List.of("red", LONG)).seqLen())
          .isEqualTo(enc.tokenizer().ids(LONG).length)
          .isLessThan(77);

      long[] row = enc.tokenizer().ids("red");
      long[] ids = new long[77];
      long[] mask = new long[77];
      Arrays.fill(ids, enc.tokenizer().padId());
      System.arraycopy(row, 0, ids, 0, row.length);
      Arrays.fill(mask, 0, row.length, 1);
      float[] padded77 = enc.encode(new TokenBatch(ids, mask, 1, 77)).get(0);

      assertThat(pair.get(0)).containsExactly(alone, within(1e-5f));
      assertThat(padded77).containsExactly(alone, within(1e-5f));
      // Control: treating the padding as real tokens changes the vector.
      Arrays.fill(mask, 1);
      float[] unmasked = enc.encode(new TokenBatch(ids, mask, 1, 77)).get(0);
      assertThat(OnnxTextEncoderTest.maxAbsDiff(unmasked, alone)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void distinctImages() {
    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("tiny"), 7);
    int size = TinyClipBundle.IMAGE_SIZE;
    Random random = new Random(8);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      float[] p = new float[3 * size * size];
      for (int j = 0; j < p.length; j++) {
        p[j] = (float) random.nextGaussian();
      }
      images.add(p);
    }
    try (ImageEncoder enc = Encoders.image(bundle, CPU)) {
      assertThat(enc.imageSize()).isEqualTo(size);
      List<float[]> batch = enc.encode(images);
      assertThat(OnnxTextEncoderTest.maxAbsDiff(batch.get(0), batch.get(1))).isGreaterThan(1e-3f);
    }
  }
}
