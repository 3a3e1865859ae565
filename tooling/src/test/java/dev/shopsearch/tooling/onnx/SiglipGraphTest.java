package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SigLIP's towers: layout of {@code SiglipModel}'s names, and both ONNX graphs against the
 * plain-Java {@link ClipReference#siglipText} and {@link ClipReference#siglipImage} (written from
 * {@code SiglipModel}).
 */
class SiglipGraphTest {
  private static final double TOLERANCE = 1e-4;

  @BeforeAll
  static void setUp() {
    ClipGraphWriterTest.setUp();
  }

  private static ClipConfig config(ClipConfig.Activation act) {
    return new ClipConfig(
        new ClipConfig.TextTower(97, 12, 32, 2, 4),
        new ClipConfig.ImageTower(24, 8, 32, 2, 4),
        32,
        act,
        1e-6f,
        null,
        new ClipConfig.Siglip(1));
  }

  @Test
  void layoutUsesSiglipNames() {
    Map<String, int[]> layout = ClipWeights.layout(ClipConfig.tinySiglip(100));
    assertThat(layout)
        .containsKeys(
            "text_model.embeddings.token_embedding.weight",
            "text_model.encoder.layers.1.self_attn.q_proj.weight",
            "text_model.final_layer_norm.weight",
            "text_model.head.weight",
            "text_model.head.bias",
            "vision_model.embeddings.patch_embedding.bias",
            "vision_model.post_layernorm.bias",
            "vision_model.head.probe",
            "vision_model.head.attention.in_proj_weight",
            "vision_model.head.attention.in_proj_bias",
            "vision_model.head.attention.out_proj.weight",
            "vision_model.head.layernorm.weight",
            "vision_model.head.mlp.fc2.bias",
            "logit_scale",
            "logit_bias");
    assertThat(layout.keySet())
        .noneMatch(k -> k.contains("projection"))
        .noneMatch(k -> k.contains("class_embedding"))
        .noneMatch(k -> k.contains("pre_layrnorm"));
    // No class token: 4 x 4 patches.
    assertThat(layout.get("vision_model.embeddings.position_embedding.weight"))
        .containsExactly(16, 32);
    assertThat(layout.get("vision_model.head.attention.in_proj_weight")).containsExactly(96, 32);
    assertThat(layout.get("logit_bias")).isEmpty();
    ClipWeights r = ClipWeights.random(ClipConfig.tinySiglip(100), 4);
    assertThat(r.get("logit_bias").data()).containsExactly(-10f);
    assertThat(r.get("vision_model.head.attention.in_proj_bias").data()).containsOnly(0f);
    assertThat(r.get("vision_model.head.probe").data()).doesNotContain(Float.NaN);
  }

  @Test
  void configRefusesWidthsThatDifferFromEmbedDimAndAPadIdOutsideTheVocab() {
    assertThatThrownBy(
            () ->
                new ClipConfig(
                    new ClipConfig.TextTower(97, 12, 32, 2, 4),
                    new ClipConfig.ImageTower(24, 8, 48, 2, 4),
                    32,
                    ClipConfig.Activation.GELU_TANH,
                    1e-6f,
                    null,
                    new ClipConfig.Siglip(1)))
        .hasMessageContaining("image.width=48");
    assertThatThrownBy(
            () ->
                new ClipConfig(
                    new ClipConfig.TextTower(97, 12, 32, 2, 4),
                    new ClipConfig.ImageTower(24, 8, 32, 2, 4),
                    32,
                    ClipConfig.Activation.GELU_TANH,
                    1e-6f,
                    null,
                    new ClipConfig.Siglip(97)))
        .hasMessageContaining("padId=97");
  }

  @Test
  void textTowerMatchesThePlainJavaSiglip() throws OrtException {
    for (ClipConfig.Activation act : ClipConfig.Activation.values()) {
      ClipConfig config = config(act);
      ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 31 + act.ordinal());
      ClipReference ref = new ClipReference(config, weights);
      TextTowerCheck.matchesReference(
          ClipGraphWriter.textTower(config, weights),
          32,
          12,
          ref::siglipText,
          TOLERANCE,
          act.toString());
    }
  }

  @Test
  void textIsPaddedToTheContextWithThePadIdWhateverTheBatchPadding() throws OrtException {
    ClipConfig config = config(ClipConfig.Activation.GELU_TANH);
    ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 5);
    try (OrtSession session = session(ClipGraphWriter.textTower(config, weights))) {
      long[][] ids = {
        {10, 11, 12, 1, 0, 0, 0}, // batch padding with 0
        {10, 11, 12, 1, 50, 60, 70}, // other ids under the batch padding
        {10, 11, 12, 1, 1, 1, 1}, // explicitly padded with the pad id, all real
        {10, 11, 13, 1, 0, 0, 0} // a changed word
      };
      long[][] mask = {
        {1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0, 0}
      };
      float[][] got = ClipGraphWriterTest.runText(session, ids, mask);
      float[][] alone =
          ClipGraphWriterTest.runText(
              session, new long[][] {{10, 11, 12, 1}}, new long[][] {{1, 1, 1, 1}});
      assertThat(maxDiff(got[0], got[1])).as("ids under padding").isLessThan(1e-6);
      assertThat(maxDiff(got[0], got[2])).as("pad id written out").isLessThan(1e-5);
      assertThat(maxDiff(got[0], alone[0])).as("batch padding vs none").isLessThan(1e-5);
      assertThat(maxDiff(got[0], got[3])).as("a changed word").isGreaterThan(1e-3);
    }
  }

  @Test
  void imageTowerMatchesThePlainJavaSiglip() throws OrtException {
    for (ClipConfig.Activation act : ClipConfig.Activation.values()) {
      ClipConfig config = config(act);
      ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 41 + act.ordinal());
      ClipReference ref = new ClipReference(config, weights);
      SplittableRandom rnd = new SplittableRandom(3);
      int size = config.image().imageSize();
      int batch = 2;
      float[] pixels = new float[batch * 3 * size * size];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) rnd.nextGaussian();
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession session = session(ClipGraphWriter.imageTower(config, weights));
          OnnxTensor in =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(pixels), new long[] {batch, 3, size, size});
          OrtSession.Result r = session.run(Map.of("pixel_values", in))) {
        assertThat(session.getOutputNames()).containsExactly("image_embeds");
        float[][] got = (float[][]) r.get(0).getValue();
        assertThat(got).hasNumberOfRows(batch);
        int n = 3 * size * size;
        for (int b = 0; b < batch; b++) {
          float[] one = java.util.Arrays.copyOfRange(pixels, b * n, (b + 1) * n);
          assertThat(got[b]).hasSize(32);
          assertThat(maxDiff(got[b], ref.siglipImage(one)))
              .as("%s image %d", act, b)
              .isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }

  private static OrtSession session(byte[] model) throws OrtException {
    return TextTowerCheck.session(model);
  }

  private static double maxDiff(float[] a, float[] b) {
    return TextTowerCheck.maxDiff(a, b);
  }
}
