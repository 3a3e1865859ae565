package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.Dropout;
import dev.shopsearch.trainer.clip.DjlClip;
import dev.shopsearch.trainer.clip.ParameterSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The trainable part of the locked-tower family: one head per tower mapping its frozen feature to
 * the shared embedding space, plus the logit scale (learned temperature). A head is a linear
 * projection ({@code hidden = 0}), a two-layer MLP with ReLU, or (with {@code residual}) a linear
 * projection plus a two-layer MLP branch: {@code y = x·Ws + bs + relu(x·W0 + b0)·W1 + b1}, with
 * dropout on the hidden activation while training. Parameter names: {@code image.w0}, {@code
 * image.b0}, [{@code image.w1}, {@code image.b1}], [{@code image.ws}, {@code image.bs}], the same
 * for {@code text.}, and {@code logit_scale} (natural log of the scale, as in CLIP). Weights are
 * {@code [in, out]}. Outputs are L2-normalised {@code [n, dim]}.
 *
 * <p>Not thread-safe; owned by one training loop.
 */
public final class LockedHeads implements ParameterSet, AutoCloseable {

  /**
   * @param imageWidth image feature width (MobileNetV2: 1280)
   * @param textWidth text feature width (MiniLM: 384)
   * @param dim embedding dimension, [8, 4096]
   * @param hidden MLP hidden width, or 0 for a linear head
   * @param initialTemperature softmax temperature at start, (0, 1] (CLIP: 0.07)
   * @param seed initialisation seed
   * @param dropout dropout rate on the MLP hidden activation while training, [0, 0.9]
   * @param residual add a linear skip projection around the MLP (needs {@code hidden > 0})
   */
  public record Config(
      int imageWidth,
      int textWidth,
      int dim,
      int hidden,
      double initialTemperature,
      long seed,
      double dropout,
      boolean residual) {

    /** A linear or plain MLP head without dropout. */
    public Config(
        int imageWidth, int textWidth, int dim, int hidden, double initialTemperature, long seed) {
      this(imageWidth, textWidth, dim, hidden, initialTemperature, seed, 0, false);
    }

    public Config {
      if (!(dropout >= 0 && dropout <= 0.9)) {
        throw new IllegalArgumentException("dropout must be in [0, 0.9]; dropout=" + dropout);
      }
      if (residual && hidden == 0) {
        throw new IllegalArgumentException("a residual head needs hidden > 0; hidden=0");
      }
      if (dim < 8 || dim > 4096) {
        throw new IllegalArgumentException("dim must be in [8, 4096]; dim=" + dim);
      }
      if (hidden < 0 || hidden > 8192) {
        throw new IllegalArgumentException("hidden must be in [0, 8192]; hidden=" + hidden);
      }
      if (imageWidth < 1 || textWidth < 1) {
        throw new IllegalArgumentException(
            "feature widths must be positive; image=" + imageWidth + " text=" + textWidth);
      }
      if (!(initialTemperature > 0 && initialTemperature <= 1)) {
        throw new IllegalArgumentException(
            "initialTemperature must be in (0, 1]; initialTemperature=" + initialTemperature);
      }
    }
  }

  /** The largest logit scale (CLIP clamps at 100). */
  static final float MAX_LOGIT_SCALE = 100f;

  /** Initial scale of the residual MLP branch's output layer relative to a plain MLP's. */
  static final float RESIDUAL_BRANCH_SCALE = 0.1f;

  private final Config config;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();

  public LockedHeads(Config config, NDManager parent) {
    this.config = config;
    this.manager = parent.newSubManager();
    Random rnd = new Random(config.seed());
    init("image", config.imageWidth(), rnd);
    init("text", config.textWidth(), rnd);
    NDArray scale = manager.create(new float[] {(float) Math.log(1 / config.initialTemperature())});
    scale.setName("logit_scale");
    params.put("logit_scale", scale);
    params.values().forEach(a -> a.setRequiresGradient(true));
  }

  private void init(String tower, int in, Random rnd) {
    int[] widths =
        config.hidden() > 0
            ? new int[] {in, config.hidden(), config.dim()}
            : new int[] {in, config.dim()};
    for (int l = 0; l + 1 < widths.length; l++) {
      int fanIn = widths[l];
      int fanOut = widths[l + 1];
      float[] w = new float[fanIn * fanOut];
      double std = Math.sqrt((l + 2 < widths.length ? 2.0 : 1.0) / fanIn);
      if (config.residual() && l == 1) {
        std *= RESIDUAL_BRANCH_SCALE; // the head starts close to its linear skip projection
      }
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (rnd.nextGaussian() * std);
      }
      put(tower + ".w" + l, manager.create(w, new Shape(fanIn, fanOut)));
      put(tower + ".b" + l, manager.zeros(new Shape(fanOut)));
    }
    if (config.residual()) {
      float[] w = new float[in * config.dim()];
      double std = Math.sqrt(1.0 / in);
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (rnd.nextGaussian() * std);
      }
      put(tower + ".ws", manager.create(w, new Shape(in, config.dim())));
      put(tower + ".bs", manager.zeros(new Shape(config.dim())));
    }
  }

  private void put(String name, NDArray a) {
    a.setName(name);
    params.put(name, a);
  }

  public Config config() {
    return config;
  }

  @Override
  public Set<String> trainable() {
    return Collections.unmodifiableSet(params.keySet());
  }

  @Override
  public NDArray get(String name) {
    NDArray a = params.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name + "; have " + params.keySet());
    }
    return a;
  }

  /** Unit-norm image embeddings {@code [n, dim]} of features {@code [n, imageWidth]}. */
  public NDArray embedImage(NDArray features) {
    return embedImage(features, false);
  }

  /** Unit-norm text embeddings {@code [n, dim]} of features {@code [n, textWidth]}. */
  public NDArray embedText(NDArray features) {
    return embedText(features, false);
  }

  /** As {@link #embedImage(NDArray)}; {@code training} applies dropout. */
  public NDArray embedImage(NDArray features, boolean training) {
    return DjlClip.normalize(head("image", features, training));
  }

  /** As {@link #embedText(NDArray)}; {@code training} applies dropout. */
  public NDArray embedText(NDArray features, boolean training) {
    return DjlClip.normalize(head("text", features, training));
  }

  private NDArray head(String tower, NDArray input, boolean training) {
    int layers = layers();
    NDArray x = input;
    for (int l = 0; l < layers; l++) {
      x = x.matMul(get(tower + ".w" + l)).add(get(tower + ".b" + l));
      if (l + 1 < layers) {
        x = Activation.relu(x); // between layers only
        if (training && config.dropout() > 0) {
          x = Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow();
        }
      }
    }
    if (config.residual()) {
      x = x.add(input.matMul(get(tower + ".ws")).add(get(tower + ".bs")));
    }
    return x;
  }

  private int layers() {
    return config.hidden() > 0 ? 2 : 1;
  }

  /** {@code exp(logit_scale)}, clamped to {@link #MAX_LOGIT_SCALE}. */
  public NDArray logitScale() {
    return get("logit_scale").exp().minimum(MAX_LOGIT_SCALE);
  }

  /** The current temperature, {@code 1 / logitScale}. */
  public double temperature() {
    return 1.0 / Math.min(MAX_LOGIT_SCALE, Math.exp(get("logit_scale").getFloat()));
  }

  /** A snapshot of one tower's head as ONNX layers ({@code tower} is image or text). */
  List<LockedGraphs.Layer> layers(String tower) {
    if (!tower.equals("image") && !tower.equals("text")) {
      throw new IllegalArgumentException("tower must be image or text; tower=" + tower);
    }
    List<LockedGraphs.Layer> out = new ArrayList<>();
    for (int l = 0; l < layers(); l++) {
      NDArray w = get(tower + ".w" + l);
      long[] s = w.getShape().getShape();
      out.add(
          new LockedGraphs.Layer(
              (int) s[0], (int) s[1], w.toFloatArray(), get(tower + ".b" + l).toFloatArray()));
    }
    return out;
  }

  /** A snapshot of one tower's skip projection, or {@code null} when the head has none. */
  LockedGraphs.Layer skip(String tower) {
    if (!config.residual()) {
      return null;
    }
    NDArray w = get(tower + ".ws");
    long[] s = w.getShape().getShape();
    return new LockedGraphs.Layer(
        (int) s[0], (int) s[1], w.toFloatArray(), get(tower + ".bs").toFloatArray());
  }

  /** Copies of every parameter's values, by name (for early stopping and checkpoints). */
  public Map<String, float[]> snapshot() {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((name, a) -> out.put(name, a.toFloatArray()));
    return out;
  }

  @Override
  public Map<String, NDArray> all() {
    return Collections.unmodifiableMap(params);
  }

  /**
   * Sets every parameter from {@code values} (a {@link #snapshot()} of heads with the same config).
   *
   * @throws IllegalArgumentException naming the parameter that is missing or has the wrong size
   */
  @Override
  public void load(Map<String, float[]> values) {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      float[] v = values.get(e.getKey());
      long want = e.getValue().size();
      if (v == null || v.length != want) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "parameter %s: expected %d values, got %s",
                e.getKey(),
                want,
                v == null ? "none" : Integer.toString(v.length)));
      }
    }
    params.forEach((name, a) -> a.set(values.get(name)));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "LockedHeads[%d->%d / %d->%d, hidden=%d, residual=%s, dropout=%.2f, temperature=%.4f]",
        config.imageWidth(),
        config.dim(),
        config.textWidth(),
        config.dim(),
        config.hidden(),
        config.residual(),
        config.dropout(),
        temperature());
  }

  @Override
  public void close() {
    manager.close();
  }
}
