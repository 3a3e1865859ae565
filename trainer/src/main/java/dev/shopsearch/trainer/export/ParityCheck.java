package dev.shopsearch.trainer.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.OnnxSessions;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.DjlClip;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Checks an exported bundle against the DJL model it came from: a seeded sample batch (random token
 * ids of varied lengths, right-padded; random pixels) goes through the DJL forward pass and through
 * ONNX Runtime on the bundle's towers, and the projected embeddings must agree: max |diff| ≤ {@link
 * #MAX_ABS_DIFF} and per-row cosine ≥ {@link #MIN_COSINE}.
 */
public final class ParityCheck {

  /** Largest allowed absolute difference of any embedding component. */
  public static final double MAX_ABS_DIFF = 1e-4;

  /** Smallest allowed cosine between a DJL and an ONNX embedding of the same input. */
  public static final double MIN_COSINE = 0.99999;

  private ParityCheck() {}

  /** What was measured. */
  public record Report(
      double textMaxDiff, double textMinCosine, double imageMaxDiff, double imageMinCosine) {

    /** Whether both towers are within the limits. */
    public boolean ok() {
      return textMaxDiff <= MAX_ABS_DIFF
          && imageMaxDiff <= MAX_ABS_DIFF
          && textMinCosine >= MIN_COSINE
          && imageMinCosine >= MIN_COSINE;
    }

    /** A one-line summary. */
    public String summary() {
      return String.format(
          Locale.ROOT,
          "text max|diff| %.2e cos %.7f; image max|diff| %.2e cos %.7f (limits %.0e, %.5f)",
          textMaxDiff,
          textMinCosine,
          imageMaxDiff,
          imageMinCosine,
          MAX_ABS_DIFF,
          MIN_COSINE);
    }
  }

  /** Thrown when an export does not reproduce the trained model. */
  public static final class ParityException extends RuntimeException {
    private final transient Report report;

    ParityException(Report report) {
      super("export parity check failed: " + report.summary());
      this.report = report;
    }

    public Report report() {
      return report;
    }
  }

  /**
   * Measures and fails when out of limits.
   *
   * @throws ParityException with the report when a limit is exceeded
   */
  public static Report verify(ModelBundle bundle, ClipParameters params, int batch, long seed) {
    Report r = measure(bundle, params, batch, seed);
    if (!r.ok()) {
      throw new ParityException(r);
    }
    return r;
  }

  /** Measures agreement of both towers on a seeded sample batch. */
  public static Report measure(ModelBundle bundle, ClipParameters params, int batch, long seed) {
    var cfg = params.config();
    Random rnd = new Random(seed);
    int len = Math.min(cfg.text().contextLength(), 12);
    long[] ids = new long[batch * len];
    long[] mask = new long[batch * len];
    for (int i = 0; i < batch; i++) {
      int n = 2 + rnd.nextInt(len - 1);
      for (int j = 0; j < len; j++) {
        ids[i * len + j] = j < n ? rnd.nextInt(cfg.text().vocabSize()) : 0;
        mask[i * len + j] = j < n ? 1 : 0;
      }
    }
    int s = cfg.image().imageSize();
    float[] px = new float[batch * 3 * s * s];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    float[] djlText;
    float[] djlImage;
    DjlClip model = new DjlClip(params);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray t =
          model.encodeText(
              m.create(ids, new Shape(batch, len)), m.create(mask, new Shape(batch, len)));
      djlText = t.toFloatArray();
      djlImage = model.encodeImage(m.create(px, new Shape(batch, 3, s, s))).toFloatArray();
    }
    float[] ortText = runText(bundle, ids, mask, batch, len);
    float[] ortImage = runImage(bundle, px, batch, s);
    int d = cfg.embedDim();
    return new Report(
        maxDiff(djlText, ortText, "text"),
        minCos(djlText, ortText, d),
        maxDiff(djlImage, ortImage, "image"),
        minCos(djlImage, ortImage, d));
  }

  private static float[] runText(ModelBundle b, long[] ids, long[] mask, int batch, int len) {
    TowerSpec spec = b.manifest().text();
    requireProjected(spec);
    var env = OnnxSessions.environment();
    try (OrtSession session =
            OnnxSessions.open(b.resolve(spec.file()), EncoderOptions.cpu()).session();
        OnnxTensor tIds =
            OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {batch, len});
        OnnxTensor tMask =
            OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {batch, len})) {
      Map<String, OnnxTensor> in = new HashMap<>();
      for (String name : spec.inputs()) {
        switch (name) {
          case "input_ids" -> in.put(name, tIds);
          case "attention_mask" -> in.put(name, tMask);
          default -> throw new IllegalStateException("parity check cannot feed text input " + name);
        }
      }
      return run(session, in, spec.output());
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on " + spec.file() + ": " + e.getMessage(), e);
    }
  }

  private static float[] runImage(ModelBundle b, float[] px, int batch, int s) {
    TowerSpec spec = b.manifest().image();
    requireProjected(spec);
    var env = OnnxSessions.environment();
    try (OrtSession session =
            OnnxSessions.open(b.resolve(spec.file()), EncoderOptions.cpu()).session();
        OnnxTensor t =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(px), new long[] {batch, 3, s, s})) {
      return run(session, Map.of(spec.inputs().get(0), t), spec.output());
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed on " + spec.file() + ": " + e.getMessage(), e);
    }
  }

  private static void requireProjected(TowerSpec spec) {
    if (spec.pooling() != Pooling.NONE || spec.projection() != null) {
      throw new IllegalStateException(
          "parity check expects towers that pool and project in the graph; "
              + spec.file()
              + " has pooling "
              + spec.pooling());
    }
  }

  private static float[] run(OrtSession session, Map<String, OnnxTensor> in, String output)
      throws OrtException {
    try (OrtSession.Result r = session.run(in, java.util.Set.of(output))) {
      OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
      FloatBuffer fb = out.getFloatBuffer();
      float[] v = new float[fb.remaining()];
      fb.get(v);
      return v;
    }
  }

  private static double maxDiff(float[] a, float[] b, String tower) {
    if (a.length != b.length) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "export parity check failed: %s tower output has %d values, DJL has %d",
              tower,
              b.length,
              a.length));
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
  }

  private static double minCos(float[] a, float[] b, int d) {
    double min = 1;
    for (int r = 0; r < a.length / d; r++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int i = r * d; i < (r + 1) * d; i++) {
        dot += a[i] * (double) b[i];
        na += a[i] * (double) a[i];
        nb += b[i] * (double) b[i];
      }
      double c = dot / Math.sqrt(na * nb);
      min = Math.min(min, Double.isNaN(c) ? -1 : c);
    }
    return min;
  }
}
