package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClipGraphWriterTest {
  private static final double TOLERANCE = 1e-4;
  private static OrtEnvironment env;

  @BeforeAll
  static void setUp() {
    env = OrtEnvironment.getEnvironment();
  }

  /** Random weights with every tensor perturbed (norms and biases too), so swaps show up. */
  static ClipWeights noisyWeights(ClipConfig config, long seed) {
    ClipWeights base = ClipWeights.random(config, seed);
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    Map<String, ClipWeights.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, ClipWeights.Tensor> e : base.tensors().entrySet()) {
      float[] d = e.getValue().data().clone();
      for (int i = 0; i < d.length; i++) {
        d[i] += (float) (rnd.nextGaussian() * 0.05);
      }
      out.put(e.getKey(), new ClipWeights.Tensor(e.getValue().shape(), d));
    }
    return ClipWeights.of(config, out);
  }

  @Test
  void textTowerMatchesReference() throws OrtException {
    for (ClipConfig.Activation act : ClipConfig.Activation.values()) {
      ClipConfig config =
          new ClipConfig(
              new ClipConfig.TextTower(97, 16, 48, 2, 4),
              new ClipConfig.ImageTower(16, 8, 32, 1, 2),
              24,
              act,
              1e-5f);
      ClipWeights weights = noisyWeights(config, 11 + act.ordinal());
      ClipReference ref = new ClipReference(config, weights);
      SplittableRandom rnd = new SplittableRandom(5);
      try (OrtSession session = session(ClipGraphWriter.textTower(config, weights))) {
        assertThat(session.getInputNames()).containsExactly("input_ids", "attention_mask");
        assertThat(session.getOutputNames()).containsExactly("text_embeds");
        for (int[] shape :
            List.of(new int[] {1, 1}, new int[] {1, 7}, new int[] {3, 5}, new int[] {4, 16})) {
          int batch = shape[0];
          int seq = shape[1];
          long[][] ids = new long[batch][seq];
          long[][] mask = new long[batch][seq];
          for (int b = 0; b < batch; b++) {
            int len = b == 0 ? seq : 1 + rnd.nextInt(seq);
            for (int s = 0; s < seq; s++) {
              ids[b][s] = s < len ? rnd.nextInt(97) : 96; // pad with the last id
              mask[b][s] = s < len ? 1 : 0;
            }
          }
          float[][] got = runText(session, ids, mask);
          assertThat(got).hasNumberOfRows(batch);
          for (int b = 0; b < batch; b++) {
            assertClose(got[b], ref.text(ids[b], mask[b]), act + " text batch " + b + " " + seq);
          }
        }
      }
    }
  }

  @Test
  void deepTowersWithFullContextStayWithinTolerance() throws OrtException {
    // ViT-B/32 depth and head size (12 blocks, 64-wide heads) and CLIP's full 77-token context.
    ClipConfig config =
        new ClipConfig(
            new ClipConfig.TextTower(300, 77, 128, 12, 2),
            new ClipConfig.ImageTower(32, 16, 128, 12, 2),
            64,
            ClipConfig.Activation.QUICK_GELU,
            1e-5f);
    ClipWeights weights = ClipWeights.random(config, 77);
    ClipReference ref = new ClipReference(config, weights);
    SplittableRandom rnd = new SplittableRandom(77);
    long[][] ids = new long[2][77];
    long[][] mask = new long[2][77];
    for (int b = 0; b < 2; b++) {
      int len = b == 0 ? 77 : 40;
      for (int s = 0; s < 77; s++) {
        ids[b][s] = s < len ? rnd.nextInt(300) : 299;
        mask[b][s] = s < len ? 1 : 0;
      }
    }
    try (OrtSession session = session(ClipGraphWriter.textTower(config, weights))) {
      float[][] got = runText(session, ids, mask);
      for (int b = 0; b < 2; b++) {
        assertClose(got[b], ref.text(ids[b], mask[b]), "deep text " + b);
      }
    }
    float[] pixels = new float[3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) rnd.nextGaussian();
    }
    try (OrtSession session = session(ClipGraphWriter.imageTower(config, weights));
        OnnxTensor in =
            OnnxTensor.createTensor(
                env, java.nio.FloatBuffer.wrap(pixels), new long[] {1, 3, 32, 32});
        OrtSession.Result r = session.run(Map.of("pixel_values", in))) {
      assertClose(((float[][]) r.get(0).getValue())[0], ref.image(pixels), "deep image");
    }
  }

  @Test
  void rightPaddingDoesNotChangeTheTextEmbedding() throws OrtException {
    ClipConfig config = ClipConfig.tiny(50);
    ClipWeights weights = noisyWeights(config, 3);
    try (OrtSession session = session(ClipGraphWriter.textTower(config, weights))) {
      float[] alone =
          runText(session, new long[][] {{49, 7, 8, 48}}, new long[][] {{1, 1, 1, 1}})[0];
      float[][] padded =
          runText(
              session,
              new long[][] {{49, 7, 8, 48, 0, 0, 0, 0, 0}, {49, 7, 8, 48, 48, 48, 48, 48, 48}},
              new long[][] {{1, 1, 1, 1, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 0, 0, 0, 0, 0}});
      assertClose(padded[0], alone, "padded with 0");
      assertClose(padded[1], alone, "padded with EOT");
      float[] longer =
          runText(session, new long[][] {{49, 7, 8, 9, 48}}, new long[][] {{1, 1, 1, 1, 1}})[0];
      assertThat(maxDiff(longer, alone)).isGreaterThan(1e-3);
    }
  }

  @Test
  void imageTowerMatchesReference() throws OrtException {
    for (ClipConfig.Activation act : ClipConfig.Activation.values()) {
      ClipConfig config =
          new ClipConfig(
              new ClipConfig.TextTower(20, 8, 32, 1, 2),
              new ClipConfig.ImageTower(24, 8, 48, 2, 4),
              16,
              act,
              1e-5f);
      ClipWeights weights = noisyWeights(config, 21 + act.ordinal());
      ClipReference ref = new ClipReference(config, weights);
      SplittableRandom rnd = new SplittableRandom(9);
      try (OrtSession session = session(ClipGraphWriter.imageTower(config, weights))) {
        assertThat(session.getInputNames()).containsExactly("pixel_values");
        assertThat(session.getOutputNames()).containsExactly("image_embeds");
        for (int batch : new int[] {1, 2, 5}) {
          float[][][][] pixels = new float[batch][3][24][24];
          for (float[][][] img : pixels) {
            for (float[][] ch : img) {
              for (float[] row : ch) {
                for (int i = 0; i < row.length; i++) {
                  row[i] = (float) (rnd.nextDouble() * 4 - 2);
                }
              }
            }
          }
          float[][] got;
          try (OnnxTensor in = OnnxTensor.createTensor(env, pixels);
              OrtSession.Result r = session.run(Map.of("pixel_values", in))) {
            got = (float[][]) r.get(0).getValue();
          }
          assertThat(got).hasNumberOfRows(batch);
          for (int b = 0; b < batch; b++) {
            float[] chw = new float[3 * 24 * 24];
            for (int c = 0; c < 3; c++) {
              for (int y = 0; y < 24; y++) {
                System.arraycopy(pixels[b][c][y], 0, chw, (c * 24 + y) * 24, 24);
              }
            }
            assertClose(got[b], ref.image(chw), act + " image batch " + b + "/" + batch);
          }
        }
      }
    }
  }

  @Test
  void erfReferenceIsAccurate() {
    assertThat(ClipReference.erf(0.5)).isCloseTo(0.5204998778130465, within(1e-12));
    assertThat(ClipReference.erf(-2.0)).isCloseTo(-0.9953222650189527, within(1e-12));
    assertThat(ClipReference.erf(3.5)).isCloseTo(0.9999992569016276, within(1e-12));
  }

  private static OrtSession session(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      return env.createSession(model, opts);
    }
  }

  static float[][] runText(OrtSession session, long[][] ids, long[][] mask) throws OrtException {
    try (OnnxTensor i = OnnxTensor.createTensor(env, ids);
        OnnxTensor m = OnnxTensor.createTensor(env, mask);
        OrtSession.Result r = session.run(Map.of("input_ids", i, "attention_mask", m))) {
      return (float[][]) r.get(0).getValue();
    }
  }

  private static void assertClose(float[] got, float[] expected, String what) {
    assertThat(got).as(what).hasSameSizeAs(expected);
    assertThat(maxDiff(got, expected)).as(what + " max |diff|").isLessThanOrEqualTo(TOLERANCE);
  }

  private static double maxDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
