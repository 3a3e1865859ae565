package dev.shopsearch.trainer.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SigLIP's sigmoid loss against a plain-Java reference on a small seeded batch. */
class SigmoidLossTest {

  private static final int B = 6;
  private static final int D = 8;
  private static final int[] GROUPS = {0, 1, 2, 2, 3, 4}; // rows 2 and 3: the same product

  private static float[][] unitRows(Random rnd) {
    float[][] rows = new float[B][D];
    for (float[] r : rows) {
      double n = 0;
      for (int k = 0; k < D; k++) {
        r[k] = (float) rnd.nextGaussian();
        n += r[k] * r[k];
      }
      for (int k = 0; k < D; k++) {
        r[k] /= (float) Math.sqrt(n);
      }
    }
    return rows;
  }

  private static float[] flat(float[][] rows) {
    float[] f = new float[B * D];
    for (int i = 0; i < B; i++) {
      System.arraycopy(rows[i], 0, f, i * D, D);
    }
    return f;
  }

  /** -1/B Σ_ij log σ(z_ij (t x_i·y_j + b)), in doubles, written from the paper's pseudo-code. */
  private static double reference(float[][] x, float[][] y, double t, double b, double[] dBias) {
    double loss = 0;
    double grad = 0;
    for (int i = 0; i < B; i++) {
      for (int j = 0; j < B; j++) {
        double dot = 0;
        for (int k = 0; k < D; k++) {
          dot += (double) x[i][k] * y[j][k];
        }
        double z = i == j || GROUPS[i] == GROUPS[j] ? 1 : -1;
        double logit = t * dot + b;
        double sig = 1 / (1 + Math.exp(-z * logit));
        loss -= Math.log(sig);
        grad -= z * (1 - sig); // d/db of -log σ(z·logit)
      }
    }
    dBias[0] = grad / B;
    return loss / B;
  }

  @Test
  void matchesThePlainJavaReferenceWithGradients() {
    Random rnd = new Random(15);
    float[][] x = unitRows(rnd);
    float[][] y = unitRows(rnd);
    for (float[] tb : new float[][] {{10f, -10f}, {3.5f, 0.7f}, {50f, -2f}}) {
      double[] dBias = new double[1];
      double want = reference(x, y, tb[0], tb[1], dBias);
      try (NDManager m = NDManager.newBaseManager()) {
        NDArray img = m.create(flat(x), new Shape(B, D));
        NDArray txt = m.create(flat(y), new Shape(B, D));
        NDArray bias = m.create(new float[] {tb[1]});
        bias.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray loss = SigmoidLoss.loss(img, txt, m.create(new float[] {tb[0]}), bias, GROUPS);
          gc.backward(loss);
          assertThat((double) loss.getFloat())
              .as("t=%s b=%s", tb[0], tb[1])
              .isCloseTo(want, within(1e-4 * Math.max(1, want)));
        }
        assertThat((double) bias.getGradient().getFloat())
            .as("dL/db at t=%s b=%s", tb[0], tb[1])
            .isCloseTo(dBias[0], within(1e-4 * Math.max(1, Math.abs(dBias[0]))));
      }
    }
  }

  @Test
  void samePhotosOfOneProductArePositives() {
    float[] z = SigmoidLoss.labels(GROUPS);
    assertThat(z[2 * B + 3]).isEqualTo(1f);
    assertThat(z[3 * B + 2]).isEqualTo(1f);
    assertThat(z[0]).isEqualTo(1f);
    assertThat(z[1]).isEqualTo(-1f);
    assertThat(z[5 * B + 4]).isEqualTo(-1f);
  }

  @Test
  void rejectsMismatchedBatches() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray a = m.zeros(new Shape(3, D));
      NDArray one = m.create(new float[] {1f});
      assertThatThrownBy(() -> SigmoidLoss.loss(a, a, one, one, new int[] {0, 1}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("batch mismatch: groups=2");
    }
  }

  @Test
  void objectiveAddsLearnableScaleAndBiasInitialisedAsSigLip() {
    try (NDManager m = NDManager.newBaseManager()) {
      Objective o = new Objective(Objective.Kind.SIGMOID, m);
      assertThat(o.scale()).isCloseTo(10.0, within(1e-5));
      assertThat(o.bias()).isEqualTo(-10.0);
      NDArray w = m.create(new float[] {1, 2});
      w.setName("w");
      ParameterSet model =
          new ParameterSet() {
            @Override
            public java.util.Set<String> trainable() {
              return java.util.Set.of("w");
            }

            @Override
            public NDArray get(String name) {
              return w;
            }

            @Override
            public Map<String, NDArray> all() {
              return Map.of("w", w);
            }

            @Override
            public void load(Map<String, float[]> values) {
              w.set(values.get("w"));
            }
          };
      ParameterSet all = o.parameters(model);
      assertThat(all.trainable())
          .containsExactlyInAnyOrder("w", Objective.LOG_SCALE, Objective.BIAS);
      assertThat(all.all()).containsKeys("w", Objective.LOG_SCALE, Objective.BIAS);
      all.load(
          Map.of(
              "w",
              new float[] {3, 4},
              Objective.LOG_SCALE,
              new float[] {0f},
              Objective.BIAS,
              new float[] {-2f}));
      assertThat(o.scale()).isCloseTo(1.0, within(1e-6));
      assertThat(o.bias()).isEqualTo(-2.0);
      assertThat(w.toFloatArray()).containsExactly(3f, 4f);
      assertThatThrownBy(() -> all.load(Map.of("w", new float[] {3, 4})))
          .hasMessageContaining("parameter sigmoid.logit_scale: expected 1 value, got none");
      assertThat(new Objective(Objective.Kind.INFONCE, m).parameters(model)).isSameAs(model);
      assertThatThrownBy(() -> Objective.Kind.parse("softmax"))
          .hasMessage("loss must be infonce or sigmoid; loss=softmax");
    }
  }
}
