package dev.shopsearch.trainer.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.shopsearch.tooling.onnx.ClipConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DjlClipTest {

  static final ClipConfig ARCH =
      new ClipConfig(
          new ClipConfig.TextTower(32, 8, 64, 2, 4),
          new ClipConfig.ImageTower(16, 4, 64, 2, 4),
          64,
          ClipConfig.Activation.QUICK_GELU,
          1e-5f);

  /** Class c: image = colour stripe pattern c, text = [1, 2 + c, 3, 0...]. */
  static float[] image(int c, Random rnd) {
    float[] px = new float[3 * 16 * 16];
    for (int ch = 0; ch < 3; ch++) {
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          float base = ((c >> ch) & 1) == 1 ? 1f : -1f;
          float stripe = (c >= 8 && (y / 4) % 2 == 0) ? 0.8f : 0f;
          px[ch * 256 + y * 16 + x] = base + stripe + (float) rnd.nextGaussian() * 0.1f;
        }
      }
    }
    return px;
  }

  @Test
  void lossFallsOnTinySyntheticSet() {
    try (NDManager root = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(ARCH, root, 7);
        AdamW opt = new AdamW(root, 0.9, 0.98, 1e-6, 0.01)) {
      DjlClip model = new DjlClip(p);
      Random rnd = new Random(1);
      int b = 16;
      double first = 0;
      double last = 0;
      for (int step = 0; step < 60; step++) {
        float[] px = new float[b * 3 * 256];
        long[] ids = new long[b * 4];
        long[] mask = new long[b * 4];
        int[] groups = new int[b];
        for (int i = 0; i < b; i++) {
          int c = (i + step) % 16;
          groups[i] = c;
          System.arraycopy(image(c, rnd), 0, px, i * 768, 768);
          ids[i * 4] = 1;
          ids[i * 4 + 1] = 2 + c;
          ids[i * 4 + 2] = 30;
          mask[i * 4] = mask[i * 4 + 1] = mask[i * 4 + 2] = 1;
        }
        double loss;
        try (NDScope scope = new NDScope();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          scope.suppressNotUsedWarning();
          NDArray img =
              DjlClip.normalize(model.encodeImage(root.create(px, new Shape(b, 3, 16, 16))));
          NDArray txt =
              DjlClip.normalize(
                  model.encodeText(
                      root.create(ids, new Shape(b, 4)), root.create(mask, new Shape(b, 4))));
          NDArray l = ContrastiveLoss.loss(img, txt, model.logitScale(), groups);
          gc.backward(l);
          loss = l.getFloat();
          opt.update(p, 2e-3, 1.0);
        }
        p.clampLogitScale(100);
        if (step < 5) {
          first += loss / 5;
        }
        if (step >= 55) {
          last += loss / 5;
        }
      }
      assertThat(last).isLessThan(first * 0.5);
    }
  }

  @Test
  void freezeKeepsOnlyLastBlocksAndProjections() {
    try (NDManager root = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(ARCH, root, 7)) {
      p.freezeAllButLast(1);
      assertThat(p.trainable())
          .contains(
              "text_projection.weight",
              "visual_projection.weight",
              "logit_scale",
              "text_model.encoder.layers.1.mlp.fc1.weight",
              "vision_model.encoder.layers.1.self_attn.q_proj.bias")
          .doesNotContain(
              "text_model.encoder.layers.0.mlp.fc1.weight",
              "text_model.embeddings.token_embedding.weight",
              "vision_model.embeddings.patch_embedding.weight");
      assertThat(p.count(true)).isLessThan(p.count(false));
    }
  }

  @Test
  void freezeKeepsASiglipsHeadsScaleAndBias() {
    try (NDManager root = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(ClipConfig.tinySiglip(40), root, 7)) {
      p.freezeAllButLast(0);
      assertThat(p.trainable())
          .contains(
              "logit_scale",
              "logit_bias",
              "text_model.head.weight",
              "text_model.head.bias",
              "vision_model.head.probe",
              "vision_model.head.attention.in_proj_weight",
              "vision_model.head.mlp.fc2.bias")
          .doesNotContain(
              "text_model.encoder.layers.1.mlp.fc1.weight",
              "vision_model.encoder.layers.1.self_attn.q_proj.bias",
              "vision_model.post_layernorm.weight");
    }
  }

  @Test
  void nonFiniteGradientNeverReachesTheWeights() {
    try (NDManager root = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(ARCH, root, 7);
        AdamW opt = new AdamW(root, 0.9, 0.98, 1e-6, 0.01)) {
      p.freezeAllButLast(0);
      float[] before = p.get("text_projection.weight").toFloatArray();
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray w = p.get("text_projection.weight");
        gc.backward(w.sum().mul(Float.NaN).add(p.get("logit_scale")));
      }
      double norm = opt.update(p, 1e-2, 1.0);
      assertThat(norm).isNaN();
      assertThat(p.get("text_projection.weight").toFloatArray()).containsExactly(before);
      assertThat(opt.step()).isZero();

      // the NaN is really gone: the next finite step updates normally
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(p.get("text_projection.weight").sum());
      }
      assertThat(opt.update(p, 1e-2, 1.0)).isFinite().isPositive();
      float[] after = p.get("text_projection.weight").toFloatArray();
      assertThat(after).doesNotContain(Float.NaN);
      assertThat(after[0]).isNotEqualTo(before[0]);
    }
  }
}
