package dev.shopsearch.core.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TowerSpec;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What both encoders share: one validated ONNX session, its optional projection, and running it
 * with caller-provided input tensors and a pinned (pre-allocated, direct) output buffer.
 * Thread-safe ({@link OrtSession#run} is).
 */
final class OnnxTower implements AutoCloseable {
  final Path file;
  final TowerSpec spec;
  final int dim;
  final int width;
  final Projection projection;
  final OrtSession session;
  final ActiveProvider executionProvider;

  private OnnxTower(
      Path file, TowerSpec spec, int dim, Projection projection, OnnxSessions.Opened opened) {
    this.file = file;
    this.spec = spec;
    this.dim = dim;
    this.projection = projection;
    this.width = projection == null ? dim : projection.width();
    this.session = opened.session();
    this.executionProvider = opened.executionProvider();
  }

  /** Opens a tower's session and projection; the caller validates the signature. */
  static OnnxTower open(ModelBundle bundle, TowerSpec spec, EncoderOptions options) {
    int dim = bundle.manifest().dim();
    Projection projection =
        spec.projection() == null ? null : Projection.load(bundle.resolve(spec.projection()), dim);
    Path file = bundle.resolve(spec.file());
    return new OnnxTower(file, spec, dim, projection, OnnxSessions.open(file, options));
  }

  /**
   * The output of one run.
   *
   * @param values row-major output values
   * @param shape the output's shape
   */
  record Output(FloatBuffer values, long[] shape) {}

  /**
   * Runs the session and returns {@link TowerSpec#output()}. When {@code expectedShape} is fully
   * known, ONNX Runtime writes straight into a pooled direct buffer (pinned output, no copy); when
   * a dimension is {@code -1} (e.g. a symbolic patch count), ONNX Runtime allocates the output and
   * it is copied once. Closes {@code inputs}.
   *
   * @throws EncoderException if the run fails or the output's shape disagrees with {@code
   *     expectedShape}
   */
  Output run(Map<String, OnnxTensor> inputs, ScratchPool.Scratch scratch, long[] expectedShape) {
    try {
      if (Arrays.stream(expectedShape).allMatch(d -> d >= 0)) {
        FloatBuffer out = scratch.output(Math.toIntExact(product(expectedShape)));
        try (OnnxTensor pinned =
            OnnxTensor.createTensor(OnnxSessions.environment(), out, expectedShape)) {
          // ONNX Runtime writes into `out`; the result does not own the pinned tensor.
          session.run(inputs, Map.of(spec.output(), pinned)).close();
          return new Output(out, expectedShape);
        }
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(spec.output()))) {
        OnnxTensor tensor = (OnnxTensor) result.get(spec.output()).orElseThrow();
        long[] shape = tensor.getInfo().getShape();
        boolean matches = shape.length == expectedShape.length;
        for (int i = 0; matches && i < shape.length; i++) {
          matches = expectedShape[i] < 0 || expectedShape[i] == shape[i];
        }
        if (!matches) {
          throw new EncoderException(
              String.format(
                  Locale.ROOT,
                  "%s produced output '%s' of shape %s; expected %s (-1 = any)",
                  file.getFileName(),
                  spec.output(),
                  Arrays.toString(shape),
                  Arrays.toString(expectedShape)));
        }
        return new Output(tensor.getFloatBuffer(), shape);
      }
    } catch (OrtException e) {
      throw new EncoderException(
          String.format(
              Locale.ROOT,
              "%s failed on a batch (output '%s', expected shape %s): %s",
              file.getFileName(),
              spec.output(),
              Arrays.toString(expectedShape),
              e.getMessage()),
          e);
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  private static long product(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Projects (when configured) and L2-normalises a pooled vector. */
  float[] finish(float[] pooled, String what) {
    float[] v = projection == null ? pooled : projection.apply(pooled);
    return Pooler.normalize(v, what);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new EncoderException("cannot close session of " + file + ": " + e.getMessage(), e);
    }
  }
}
