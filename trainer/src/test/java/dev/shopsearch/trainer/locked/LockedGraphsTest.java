package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shopsearch.core.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Graph surgery on the real frozen towers, checked against plain-Java pooling of their outputs. */
@org.junit.jupiter.api.Tag("slow")
class LockedGraphsTest {

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static ModelProto mobilenet;
  private static ModelProto minilm;

  @BeforeAll
  static void load() throws IOException {
    Path file = SharedData.require("models/mobilenetv2-12-int8.onnx");
    mobilenet = ModelProto.parseFrom(Files.readAllBytes(file));
    try (InputStream in =
        LockedGraphsTest.class.getClassLoader().getResourceAsStream(FrozenTowers.MINILM_ONNX)) {
      minilm = ModelProto.parseFrom(in.readAllBytes());
    }
  }

  private static OrtSession session(ModelProto m) throws OrtException {
    return ENV.createSession(m.toByteArray(), new OrtSession.SessionOptions());
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  private static double cosine(float[] a, double[] b) {
    double dot = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      nb += b[i] * b[i];
    }
    return dot / (norm(a) * Math.sqrt(nb));
  }

  @Test
  void colourGridAppendsCellMeansOfThePixelsAfterTheCnnFeature() throws OrtException {
    ModelProto plain = LockedGraphs.imageFeatures(mobilenet);
    ModelProto withGrid = LockedGraphs.imageFeatures(mobilenet, 4, 224, new int[0]);
    Random rnd = new Random(9);
    float[] px = new float[3 * 224 * 224];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian() + (i < 224 * 224 ? 1f : 0f); // channel 0 brighter
    }
    float[] cnn = run(plain, px);
    float[] both = run(withGrid, px);
    assertThat(both).hasSize(1280 + 48);
    for (int i = 0; i < 1280; i++) {
      assertThat(both[i]).isCloseTo(cnn[i], within(1e-6f));
    }
    float scale = (float) (1 / Math.sqrt(48));
    for (int c = 0; c < 3; c++) {
      for (int gy = 0; gy < 4; gy++) {
        for (int gx = 0; gx < 4; gx++) {
          double sum = 0;
          for (int y = gy * 56; y < (gy + 1) * 56; y++) {
            for (int x = gx * 56; x < (gx + 1) * 56; x++) {
              sum += px[c * 224 * 224 + y * 224 + x];
            }
          }
          float want = (float) (sum / (56 * 56)) * scale;
          assertThat(both[1280 + c * 16 + gy * 4 + gx]).isCloseTo(want, within(1e-5f));
        }
      }
    }
    assertThat(both[1280]).isGreaterThan(0.5f * scale); // channel 0's offset is visible
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LockedGraphs.imageFeatures(mobilenet, 5, 224, new int[0]))
        .hasMessageContaining("grid=5 size=224");
  }

  @Test
  void midChannelsAppendThePooledConvolutionsInOrder() throws OrtException {
    ModelProto mid = LockedGraphs.imageFeatures(mobilenet, 2, 224, new int[] {160, 320});
    Random rnd = new Random(11);
    float[] px = new float[3 * 224 * 224];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    float[] cnn = run(LockedGraphs.imageFeatures(mobilenet), px);
    float[] f = run(mid, px);
    assertThat(f).hasSize(1280 + 160 + 320 + 12);
    for (int i = 0; i < 1280; i++) {
      assertThat(f[i]).isCloseTo(cnn[i], within(1e-6f));
    }
    float[] m160 = java.util.Arrays.copyOfRange(f, 1280, 1440);
    float[] m320 = java.util.Arrays.copyOfRange(f, 1440, 1760);
    assertThat(norm(m160)).isCloseTo(1.0, within(1e-5));
    assertThat(norm(m320)).isCloseTo(1.0, within(1e-5));
    // Reference: the last 320-channel convolution's uint8 output "624_quantized", dequantised in
    // Java with that node's y_scale / y_zero_point, averaged over 7x7 and normalised.
    var conv =
        mobilenet.getGraph().getNodeList().stream()
            .filter(n -> n.getOutput(0).equals("624_quantized"))
            .findFirst()
            .orElseThrow();
    float scale = initializer(conv.getInput(6)).asFloatBuffer().get(0);
    int zero = initializer(conv.getInput(7)).get(0) & 0xff;
    ModelProto withConv =
        mobilenet.toBuilder()
            .setGraph(
                mobilenet.getGraph().toBuilder()
                    .addOutput(ValueInfoProto.newBuilder().setName("624_quantized")))
            .build();
    byte[][][][] q;
    try (OrtSession s = session(withConv);
        OnnxTensor x =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {1, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("input", x), java.util.Set.of("624_quantized"))) {
      q = (byte[][][][]) r.get(0).getValue();
    }
    double[] want = new double[320];
    for (int c = 0; c < 320; c++) {
      for (byte[] row : q[0][c]) {
        for (byte v : row) {
          want[c] += ((v & 0xff) - zero) * scale / 49.0;
        }
      }
    }
    assertThat(cosine(m320, want)).isGreaterThan(0.99999);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LockedGraphs.imageFeatures(mobilenet, 0, 224, new int[] {333}))
        .hasMessageContaining("no convolution with 333 output channels")
        .hasMessageContaining("320");
  }

  @Test
  void regionsAppendTheFinalMapPooledIntoOverlappingWindows() throws OrtException {
    ModelProto withRegions = LockedGraphs.imageFeatures(mobilenet, 0, 224, new int[0], 2);
    Random rnd = new Random(12);
    float[] px = new float[3 * 224 * 224];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    float[] cnn = run(LockedGraphs.imageFeatures(mobilenet), px);
    float[] f = run(withRegions, px);
    assertThat(f).hasSize(1280 + 1280 * 4);
    for (int i = 0; i < 1280; i++) {
      assertThat(f[i]).isCloseTo(cnn[i], within(1e-6f));
    }
    // Channel-major [1280, 2, 2]: window w of channel c at 1280 + 4c + w; each window unit-norm /
    // 2.
    float[][] windows = new float[4][1280];
    for (int c = 0; c < 1280; c++) {
      for (int w = 0; w < 4; w++) {
        windows[w][c] = f[1280 + 4 * c + w];
      }
    }
    for (float[] w : windows) {
      assertThat(norm(w)).isCloseTo(0.5, within(1e-5));
    }
    // Reference: the global pool's uint8 input, dequantised in Java with the pool's x_scale /
    // x_zero_point, averaged over rows 3..6 x columns 0..3 (window 2: stride 3, kernel 4).
    var pool =
        mobilenet.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("QLinearGlobalAveragePool"))
            .findFirst()
            .orElseThrow();
    float scale = initializer(pool.getInput(1)).asFloatBuffer().get(0);
    int zero = initializer(pool.getInput(2)).get(0) & 0xff;
    String map = pool.getInput(0);
    ModelProto withMap =
        mobilenet.toBuilder()
            .setGraph(
                mobilenet.getGraph().toBuilder()
                    .addOutput(ValueInfoProto.newBuilder().setName(map)))
            .build();
    byte[][][][] q;
    try (OrtSession s = session(withMap);
        OnnxTensor x =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {1, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("input", x), java.util.Set.of(map))) {
      q = (byte[][][][]) r.get(0).getValue();
    }
    double[] want = new double[1280];
    for (int c = 0; c < 1280; c++) {
      for (int y = 3; y < 7; y++) {
        for (int xx = 0; xx < 4; xx++) {
          want[c] += ((q[0][c][y][xx] & 0xff) - zero) * scale / 16.0;
        }
      }
    }
    assertThat(cosine(windows[2], want)).isGreaterThan(0.99999);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> LockedGraphs.imageFeatures(mobilenet, 0, 224, new int[0], 9))
        .hasMessageContaining("regions must be in [2, 7]");
  }

  /** An initializer's raw little-endian bytes (or its float data as bytes). */
  private static java.nio.ByteBuffer initializer(String name) {
    var t =
        mobilenet.getGraph().getInitializerList().stream()
            .filter(i -> i.getName().equals(name))
            .findFirst()
            .orElseThrow();
    if (!t.getRawData().isEmpty()) {
      return t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(4 * t.getFloatDataCount())
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    t.getFloatDataList().forEach(b::putFloat);
    if (t.getFloatDataCount() == 0) {
      b = java.nio.ByteBuffer.allocate(t.getInt32DataCount());
      for (int v : t.getInt32DataList()) {
        b.put((byte) v);
      }
    }
    return b.flip();
  }

  private static float[] run(ModelProto features, float[] px) throws OrtException {
    try (OrtSession s = session(features);
        OnnxTensor x =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {1, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("pixel_values", x))) {
      return ((float[][]) r.get(0).getValue())[0];
    }
  }

  @Test
  void imageFeaturesAreThePooledConvOutput() throws OrtException {
    ModelProto features = LockedGraphs.imageFeatures(mobilenet);
    assertThat(features.getGraph().getInputList())
        .extracting(ValueInfoProto::getName)
        .containsExactly("pixel_values");
    assertThat(features.getGraph().getOutputList())
        .extracting(ValueInfoProto::getName)
        .containsExactly("features");
    assertThat(features.getGraph().getNodeList())
        .noneMatch(n -> n.getOpType().equals("QLinearMatMul"))
        .as("classifier pruned");

    Random rnd = new Random(7);
    int n = 2;
    float[] px = new float[n * 3 * 224 * 224];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    float[][] got;
    try (OrtSession s = session(features);
        OnnxTensor x =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {n, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("pixel_values", x))) {
      got = (float[][]) r.get(0).getValue();
    }
    // Reference: the float (dequantised) last conv activation "627" of the original graph,
    // averaged over 7x7 in Java.
    ModelProto withConv =
        mobilenet.toBuilder()
            .setGraph(
                mobilenet.getGraph().toBuilder()
                    .addOutput(ValueInfoProto.newBuilder().setName("627")))
            .build();
    float[][][][] conv;
    try (OrtSession s = session(withConv);
        OnnxTensor x =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(px), new long[] {n, 3, 224, 224});
        OrtSession.Result r = s.run(Map.of("input", x), java.util.Set.of("627"))) {
      conv = (float[][][][]) r.get(0).getValue();
    }
    assertThat(got).hasNumberOfRows(n);
    for (int b = 0; b < n; b++) {
      assertThat(got[b]).hasSize(1280);
      assertThat(norm(got[b])).isCloseTo(1.0, within(1e-5));
      double[] mean = new double[1280];
      for (int c = 0; c < 1280; c++) {
        for (float[] row : conv[b][c]) {
          for (float v : row) {
            mean[c] += v / 49.0;
          }
        }
      }
      // The quantised pool rounds to 8 bits; directions still agree closely.
      assertThat(cosine(got[b], mean)).isGreaterThan(0.999);
    }
  }

  @Test
  void textFeaturesAreTheMaskedMeanOfLastHiddenState() throws OrtException {
    ModelProto features = LockedGraphs.textFeatures(minilm);
    // Two rows: 5 real tokens, and 3 real tokens + 2 padding.
    long[] ids = {101, 2417, 3797, 4377, 102, 101, 2630, 102, 0, 0};
    long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
    long[] shape = {2, 5};
    float[][] got;
    float[][][] hidden;
    try (OrtSession f = session(features);
        OrtSession orig = session(minilm);
        OnnxTensor i = OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(ENV, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[10]), shape)) {
      Map<String, OnnxTensor> in = Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t);
      try (OrtSession.Result r = f.run(in)) {
        got = (float[][]) r.get(0).getValue();
      }
      try (OrtSession.Result r = orig.run(in)) {
        hidden = (float[][][]) r.get(0).getValue();
      }
    }
    for (int b = 0; b < 2; b++) {
      int real = b == 0 ? 5 : 3;
      double[] mean = new double[384];
      for (int tok = 0; tok < real; tok++) {
        for (int c = 0; c < 384; c++) {
          mean[c] += hidden[b][tok][c] / (double) real;
        }
      }
      double nm = 0;
      for (double v : mean) {
        nm += v * v;
      }
      nm = Math.sqrt(nm);
      for (int c = 0; c < 384; c++) {
        assertThat((double) got[b][c]).isCloseTo(mean[c] / nm, within(1e-5));
      }
    }
  }

  @Test
  void appendedHeadComputesTheDenseLayers() throws OrtException {
    ModelProto features = LockedGraphs.textFeatures(minilm);
    Random rnd = new Random(3);
    int in = 384;
    int hidden = 16;
    int out = 8;
    float[] w0 = gaussian(rnd, in * hidden);
    float[] b0 = gaussian(rnd, hidden);
    float[] w1 = gaussian(rnd, hidden * out);
    float[] b1 = gaussian(rnd, out);
    ModelProto head =
        LockedGraphs.appendHead(
            features,
            List.of(
                new LockedGraphs.Layer(in, hidden, w0, b0),
                new LockedGraphs.Layer(hidden, out, w1, b1)),
            "text_embeds");
    long[] ids = {101, 2417, 3797, 102};
    long[] shape = {1, 4};
    float[] feat;
    float[] emb;
    try (OrtSession f = session(features);
        OrtSession h = session(head);
        OnnxTensor i = OnnxTensor.createTensor(ENV, LongBuffer.wrap(ids), shape);
        OnnxTensor m =
            OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {1, 1, 1, 1}), shape);
        OnnxTensor t = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[4]), shape)) {
      Map<String, OnnxTensor> inputs =
          Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t);
      try (OrtSession.Result r = f.run(inputs)) {
        feat = ((float[][]) r.get(0).getValue())[0];
      }
      try (OrtSession.Result r = h.run(inputs)) {
        emb = ((float[][]) r.get(0).getValue())[0];
      }
    }
    double[] hid = new double[hidden];
    for (int j = 0; j < hidden; j++) {
      double s = b0[j];
      for (int k = 0; k < in; k++) {
        s += feat[k] * w0[k * hidden + j];
      }
      hid[j] = Math.max(0, s);
    }
    for (int j = 0; j < out; j++) {
      double s = b1[j];
      for (int k = 0; k < hidden; k++) {
        s += hid[k] * w1[k * out + j];
      }
      assertThat((double) emb[j]).isCloseTo(s, within(1e-4));
    }
  }

  private static float[] gaussian(Random rnd, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    return v;
  }
}
