package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chinese-CLIP's BERT text tower: layout of its Hugging Face names, and the ONNX graph against the
 * plain-Java {@link ClipReference#bertText} (written from {@code ChineseCLIPModel}).
 */
class BertTextGraphTest {
  private static final double TOLERANCE = 1e-4;

  @BeforeAll
  static void setUp() {
    ClipGraphWriterTest.setUp();
  }

  private static ClipConfig config(ClipConfig.Activation textAct) {
    return new ClipConfig(
        new ClipConfig.TextTower(97, 16, 48, 2, 4),
        new ClipConfig.ImageTower(16, 8, 32, 1, 2),
        24,
        ClipConfig.Activation.QUICK_GELU,
        1e-5f,
        new ClipConfig.BertText(2, textAct, 1e-12f));
  }

  @Test
  void layoutUsesChineseClipTextNamesAndKeepsTheClipImageTower() {
    Map<String, int[]> layout = ClipWeights.layout(ClipConfig.tinyChineseClip(100));
    assertThat(layout)
        .containsKeys(
            "text_model.embeddings.word_embeddings.weight",
            "text_model.embeddings.position_embeddings.weight",
            "text_model.embeddings.token_type_embeddings.weight",
            "text_model.embeddings.LayerNorm.bias",
            "text_model.encoder.layer.1.attention.self.query.weight",
            "text_model.encoder.layer.1.attention.output.dense.bias",
            "text_model.encoder.layer.1.attention.output.LayerNorm.weight",
            "text_model.encoder.layer.1.intermediate.dense.weight",
            "text_model.encoder.layer.1.output.dense.weight",
            "text_model.encoder.layer.1.output.LayerNorm.bias",
            "vision_model.pre_layrnorm.weight",
            "vision_model.encoder.layers.1.self_attn.q_proj.weight",
            "text_projection.weight",
            "visual_projection.weight",
            "logit_scale");
    assertThat(layout.keySet())
        .noneMatch(k -> k.startsWith("text_model.encoder.layers."))
        .noneMatch(k -> k.startsWith("text_model.final_layer_norm"))
        .noneMatch(k -> k.contains("pooler"));
    assertThat(layout.get("text_model.embeddings.token_type_embeddings.weight"))
        .containsExactly(2, 64);
    assertThat(layout.get("text_model.encoder.layer.0.intermediate.dense.weight"))
        .containsExactly(256, 64);
    assertThat(layout.get("text_projection.weight")).containsExactly(32, 64);

    // A CLIP text tower's names do not fit a Chinese-CLIP config.
    ClipWeights clip = ClipWeights.random(ClipConfig.tiny(100), 1);
    assertThatThrownBy(() -> ClipWeights.of(ClipConfig.tinyChineseClip(100), clip.tensors()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing text_model.embeddings.word_embeddings.weight");
    // Random init: layer norms (1, 0), embeddings small, deterministic.
    ClipWeights r = ClipWeights.random(ClipConfig.tinyChineseClip(100), 3);
    assertThat(r.get("text_model.encoder.layer.0.output.LayerNorm.weight").data()).containsOnly(1f);
    assertThat(r.get("text_model.embeddings.LayerNorm.bias").data()).containsOnly(0f);
    assertThat(ClipWeights.random(ClipConfig.tinyChineseClip(100), 3).tensors())
        .isEqualTo(r.tensors());
  }

  @Test
  void textTowerMatchesThePlainJavaBert() throws OrtException {
    for (ClipConfig.Activation act : ClipConfig.Activation.values()) {
      ClipConfig config = config(act);
      ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 21 + act.ordinal());
      ClipReference ref = new ClipReference(config, weights);
      TextTowerCheck.matchesReference(
          ClipGraphWriter.textTower(config, weights),
          24,
          16,
          ref::bertText,
          TOLERANCE,
          act.toString());
    }
  }

  @Test
  void poolsTheFirstTokenAttendingToEveryRealTokenButNoPadding() throws OrtException {
    ClipConfig config = config(ClipConfig.Activation.GELU);
    ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 5);
    try (OrtSession session = session(ClipGraphWriter.textTower(config, weights))) {
      long[][] ids = {
        {2, 10, 11, 12, 3, 0, 0, 0}, // padded with id 0
        {2, 10, 11, 12, 3, 50, 60, 70}, // other ids under the padding
        {2, 10, 11, 12, 3, 0, 0, 0}, // unpadded below (shorter input)
        {2, 10, 11, 13, 3, 0, 0, 0} // the last word changed
      };
      long[][] mask = new long[4][8];
      for (long[] m : mask) {
        java.util.Arrays.fill(m, 0, 5, 1);
      }
      float[][] got = ClipGraphWriterTest.runText(session, ids, mask);
      float[][] unpadded =
          ClipGraphWriterTest.runText(
              session, new long[][] {{2, 10, 11, 12, 3}}, new long[][] {{1, 1, 1, 1, 1}});
      assertThat(maxDiff(got[0], got[1])).as("ids under padding").isLessThan(1e-6);
      assertThat(maxDiff(got[0], unpadded[0])).as("padding vs none").isLessThan(1e-5);
      // Bidirectional: [CLS] sees a later token (CLIP's causal tower would pool at [SEP]).
      assertThat(maxDiff(got[0], got[3])).as("a changed word moves [CLS]").isGreaterThan(1e-3);
    }
  }

  private static OrtSession session(byte[] model) throws OrtException {
    return TextTowerCheck.session(model);
  }

  private static double maxDiff(float[] a, float[] b) {
    return TextTowerCheck.maxDiff(a, b);
  }
}
