package dev.shopsearch.core.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link ImageEncoder} running a bundle's image tower with ONNX Runtime.
 *
 * <p>Input: one {@code float[3 * size * size]} per image (CHW, normalised as the bundle's {@code
 * ImageSpec} says), copied into a pooled direct buffer as {@code [batch, 3, size, size]}. The
 * output is pooled per the tower's {@link Pooling} ({@code NONE}: already pooled; {@code CLS}:
 * first patch; {@code MEAN}: mean over all patches), projected if configured, and L2-normalised.
 *
 * <p>Thread-safe: the session is shared; every call borrows its own buffers.
 */
public final class OnnxImageEncoder implements ImageEncoder {
  /** Most images in one {@link #encode(List)} call. */
  public static final int MAX_BATCH = 512;

  private final OnnxTower tower;
  private final int size;
  private final ScratchPool scratch;

  private OnnxImageEncoder(OnnxTower tower, int size) {
    this.tower = tower;
    this.size = size;
    this.scratch = new ScratchPool(2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Loads the image tower of a bundle and validates the ONNX graph against the manifest.
   *
   * @throws EncoderException if the graph does not match (the message lists its inputs/outputs) or
   *     the session cannot be created
   */
  public static OnnxImageEncoder load(ModelBundle bundle, EncoderOptions options) {
    if (bundle.manifest().imageSpec() == null) {
      throw new BundleException(
          bundle.dir().resolve(ModelBundle.MANIFEST_FILE) + ": field 'imageSpec' is missing");
    }
    int size = bundle.manifest().imageSpec().size();
    OnnxTower tower = OnnxTower.open(bundle, bundle.manifest().image(), options);
    try {
      OnnxSignature.validateImage(tower.file, tower.spec, tower.session, tower.width, size);
      return new OnnxImageEncoder(tower, size);
    } catch (RuntimeException e) {
      tower.close();
      throw e;
    }
  }

  @Override
  public int dim() {
    return tower.dim;
  }

  @Override
  public int imageSize() {
    return size;
  }

  @Override
  public List<float[]> encode(List<float[]> pixels) {
    if (pixels == null || pixels.isEmpty()) {
      throw new IllegalArgumentException("pixels must not be empty");
    }
    if (pixels.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "batch has %d images; the limit is %d", pixels.size(), MAX_BATCH));
    }
    int per = 3 * size * size;
    for (int i = 0; i < pixels.size(); i++) {
      float[] p = pixels.get(i);
      if (p == null || p.length != per) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "image %d has %s floats; expected 3 * %d * %d = %d (CHW)",
                i,
                p == null ? "null instead of" : Integer.toString(p.length),
                size,
                size,
                per));
      }
    }
    int n = pixels.size();
    ScratchPool.Scratch s = scratch.acquire();
    try {
      FloatBuffer in = s.input(n * per);
      for (int i = 0; i < n; i++) {
        in.put(i * per, pixels.get(i));
      }
      OnnxTensor input;
      try {
        input =
            OnnxTensor.createTensor(OnnxSessions.environment(), in, new long[] {n, 3, size, size});
      } catch (OrtException e) {
        throw new EncoderException("cannot create the pixel tensor: " + e.getMessage(), e);
      }
      Pooling pooling = tower.spec.pooling();
      long[] expected =
          pooling == Pooling.NONE ? new long[] {n, tower.width} : new long[] {n, -1, tower.width};
      OnnxTower.Output out = tower.run(Map.of(tower.spec.inputs().get(0), input), s, expected);
      int seq = pooling == Pooling.NONE ? 1 : (int) out.shape()[1];
      List<float[]> result = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        float[] v = Pooler.pool(out.values(), pooling, i, seq, tower.width, seq, null, 0);
        result.add(tower.finish(v, "image " + i));
      }
      return result;
    } finally {
      scratch.release(s);
    }
  }

  @Override
  public ActiveProvider executionProvider() {
    return tower.executionProvider;
  }

  @Override
  public void close() {
    tower.close();
  }
}
