package dev.shopsearch.core.encode;

import static dev.shopsearch.core.encode.TestBundles.IMAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load-time validation: mismatches fail with what the ONNX model actually has. */
class OnnxValidationTest {
  static final EncoderOptions CPU = OnnxTextEncoderTest.ONE_THREAD;
  static final String ACTUAL_TEXT_INPUTS =
      "inputs [input_ids: INT64 [batch, seq], attention_mask: INT64 [batch, seq]]";

  @TempDir Path tmp;

  private ModelBundle bundle(
      int dim, TowerSpec text, byte[] textOnnx, TowerSpec image, byte[] imageOnnx) {
    return bundle(dim, text, textOnnx, image, imageOnnx, Map.of());
  }

  private ModelBundle bundle(
      int dim,
      TowerSpec text,
      byte[] textOnnx,
      TowerSpec image,
      byte[] imageOnnx,
      Map<String, byte[]> extra) {
    return TestBundles.write(
        tmp.resolve("b" + System.nanoTime()), dim, text, textOnnx, image, imageOnnx, 77, extra);
  }

  private static byte[] pooledText(int dim) {
    return TestGraphs.pooledText(TestBundles.VOCAB, 8, dim, 1);
  }

  private static byte[] pooledImage(int dim) {
    return TestGraphs.pooledImage(IMAGE_SIZE, dim, 2);
  }

  @Test
  void outputDimOtherThanManifestDimListsTheActualShape() {
    ModelBundle b =
        bundle(
            16,
            HfClipLayout.textTower(),
            pooledText(8),
            HfClipLayout.imageTower(),
            pooledImage(16));
    assertThatThrownBy(() -> Encoders.text(b, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("text tower")
        .hasMessageContaining("text.onnx")
        .hasMessageContaining("last dimension must be 16")
        .hasMessageContaining(ACTUAL_TEXT_INPUTS)
        .hasMessageContaining("outputs [text_embeds: FLOAT [batch, 8]]");
    ModelBundle img =
        bundle(
            8, HfClipLayout.textTower(), pooledText(8), HfClipLayout.imageTower(), pooledImage(4));
    assertThatThrownBy(() -> Encoders.image(img, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("image_embeds: FLOAT [batch, 4]")
        .hasMessageContaining("pixel_values: FLOAT [batch, 3, 8, 8]");
  }

  @Test
  void missingInputOrOutputNamesWhatTheModelHas() {
    TowerSpec wrongInput =
        new TowerSpec(
            "text.onnx", List.of("input_ids", "token_type_ids"), "text_embeds", Pooling.NONE, null);
    ModelBundle b = bundle(8, wrongInput, pooledText(8), HfClipLayout.imageTower(), pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(b, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("input 'token_type_ids' is missing")
        .hasMessageContaining("needs input 'attention_mask'")
        .hasMessageContaining(ACTUAL_TEXT_INPUTS);

    TowerSpec wrongOutput =
        new TowerSpec(
            "text.onnx",
            List.of("input_ids", "attention_mask"),
            "pooler_output",
            Pooling.NONE,
            null);
    ModelBundle c =
        bundle(8, wrongOutput, pooledText(8), HfClipLayout.imageTower(), pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(c, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("output 'pooler_output' is missing")
        .hasMessageContaining("outputs [text_embeds: FLOAT [batch, 8]]");

    TowerSpec unsupported =
        new TowerSpec("text.onnx", List.of("input_ids", "position_ids"), "x", Pooling.NONE, null);
    ModelBundle d =
        bundle(8, unsupported, pooledText(8), HfClipLayout.imageTower(), pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(d, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("'position_ids' is not supported");

    TowerSpec twice =
        new TowerSpec(
            "text.onnx",
            List.of("input_ids", "attention_mask", "token_type_ids", "input_ids"),
            "text_embeds",
            Pooling.NONE,
            null);
    ModelBundle e = bundle(8, twice, pooledText(8), HfClipLayout.imageTower(), pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(e, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("list a name twice");
  }

  @Test
  void wrongTypeAndRankAreReported() {
    ModelBundle floats =
        bundle(
            8,
            HfClipLayout.textTower(),
            TestGraphs.floatIdsText(8, 3),
            HfClipLayout.imageTower(),
            pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(floats, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("input 'input_ids' is FLOAT [batch, seq], expected INT64 [?, ?]");

    // Pooling NONE declared on a [batch, seq, width] output: wrong rank.
    TowerSpec noneOnHidden =
        new TowerSpec("text.onnx", List.of("input_ids"), "last_hidden_state", Pooling.NONE, null);
    ModelBundle hidden =
        bundle(
            8,
            noneOnHidden,
            TestGraphs.causalHiddenText(TestBundles.VOCAB, 8, 4),
            HfClipLayout.imageTower(),
            pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(hidden, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("output 'last_hidden_state' is FLOAT [batch, seq, 8]")
        .hasMessageContaining("expected FLOAT [batch, 8] (pooling NONE)");
  }

  @Test
  void imageSizeAndPoolingMismatches() {
    // Graph takes 8x8 pixels; a manifest built for 16 px must not load.
    ModelBundle b =
        bundle(
            8,
            HfClipLayout.textTower(),
            pooledText(8),
            HfClipLayout.imageTower(),
            TestGraphs.pooledImage(16, 8, 5));
    assertThatThrownBy(() -> Encoders.image(b, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("pixel_values: FLOAT [batch, 3, 16, 16]")
        .hasMessageContaining("expected FLOAT [?, 3, 8, 8]");

    TowerSpec eot =
        new TowerSpec(
            "image.onnx", List.of("pixel_values"), "last_hidden_state", Pooling.EOT, null);
    ModelBundle c =
        bundle(
            16,
            HfClipLayout.textTower(),
            pooledText(16),
            eot,
            TestGraphs.hiddenImage(IMAGE_SIZE, 16, 6));
    assertThatThrownBy(() -> Encoders.image(c, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("EOT applies to text towers only");
  }

  @Test
  void projectionShapeMustMatch() {
    byte[] proj =
        Safetensors.encode(Map.of("weight", new FloatTensor(new long[] {8, 5}, new float[40])));
    TowerSpec text =
        new TowerSpec("text.onnx", List.of("input_ids"), "last_hidden_state", Pooling.EOT, "p.st");
    ModelBundle b =
        bundle(
            6,
            text,
            TestGraphs.causalHiddenText(TestBundles.VOCAB, 8, 7),
            HfClipLayout.imageTower(),
            pooledImage(6),
            Map.of("p.st", proj));
    assertThatThrownBy(() -> Encoders.text(b, CPU))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("p.st")
        .hasMessageContaining("[8, 5]")
        .hasMessageContaining("[width, 6]");

    // Right columns, wrong rows: the graph's width (8) is not the projection's rows (4).
    byte[] rows =
        Safetensors.encode(Map.of("weight", new FloatTensor(new long[] {4, 6}, new float[24])));
    ModelBundle c =
        bundle(
            6,
            text,
            TestGraphs.causalHiddenText(TestBundles.VOCAB, 8, 7),
            HfClipLayout.imageTower(),
            pooledImage(6),
            Map.of("p.st", rows));
    assertThatThrownBy(() -> Encoders.text(c, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining("last dimension must be 4 (the rows of projection p.st)");
  }

  @Test
  void corruptOnnxFileIsNamed() {
    ModelBundle b =
        bundle(
            8,
            HfClipLayout.textTower(),
            new byte[] {1, 2, 3},
            HfClipLayout.imageTower(),
            pooledImage(8));
    assertThatThrownBy(() -> Encoders.text(b, CPU))
        .isInstanceOf(EncoderException.class)
        .hasMessageContaining(b.resolve("text.onnx").toString());
    assertThat(Encoders.image(b, CPU).dim()).isEqualTo(8);
  }
}
