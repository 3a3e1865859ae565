package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parameters of a {@link DjlClip} model, named exactly as Hugging Face {@code CLIPModel} names
 * them ({@code text_model.encoder.layers.0.self_attn.q_proj.weight}, {@code
 * visual_projection.weight}, {@code logit_scale}, ...). Linear weights are {@code [out, in]} like
 * {@code torch.nn.Linear}; the patch embedding is a {@code [width, 3, patch, patch]} convolution
 * kernel; {@code logit_scale} is a scalar holding the natural log of the scale.
 *
 * <p>All arrays are float32 and owned by this object's manager. Not thread-safe.
 */
public final class ClipParameters implements ParameterSet, AutoCloseable {

  private final ClipConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private final Set<String> trainable = new TreeSet<>();

  private ClipParameters(ClipConfig config, NDManager parent) {
    this.config = config;
    this.manager = parent.newSubManager();
  }

  /** Random CLIP-style initialisation ({@link ClipWeights#random}), seeded. */
  public static ClipParameters random(ClipConfig config, NDManager parent, long seed) {
    return of(ClipWeights.random(config, seed), parent);
  }

  /** Trainable copies of {@code weights} (Hugging Face names and shapes). */
  public static ClipParameters of(ClipWeights weights, NDManager parent) {
    ClipParameters p = new ClipParameters(weights.config(), parent);
    for (Map.Entry<String, ClipWeights.Tensor> e : weights.tensors().entrySet()) {
      p.put(e.getKey(), e.getValue().data(), e.getValue().longShape());
    }
    p.trainAll();
    return p;
  }

  /** A snapshot of the current values as {@link ClipWeights} (for export). */
  public ClipWeights toWeights() {
    Map<String, ClipWeights.Tensor> named = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      long[] ls = e.getValue().getShape().getShape();
      int[] shape = new int[ls.length];
      for (int i = 0; i < ls.length; i++) {
        shape[i] = Math.toIntExact(ls[i]);
      }
      named.put(e.getKey(), new ClipWeights.Tensor(shape, e.getValue().toFloatArray()));
    }
    return ClipWeights.of(config, named);
  }

  private void put(String name, float[] v, long[] shape) {
    NDArray a = manager.create(v, new Shape(shape));
    a.setName(name);
    arrays.put(name, a);
  }

  /** The architecture. */
  public ClipConfig config() {
    return config;
  }

  /** The parameter named {@code name}. */
  @Override
  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  /** All parameters by name (unmodifiable, layout order). */
  @Override
  public Map<String, NDArray> all() {
    return Collections.unmodifiableMap(arrays);
  }

  /** Names that receive gradients. */
  @Override
  public Set<String> trainable() {
    return Collections.unmodifiableSet(trainable);
  }

  /** Makes every parameter trainable. */
  public void trainAll() {
    setTrainable(arrays.keySet());
  }

  /**
   * Freezes everything except the last {@code n} blocks of each tower, the final layer norms, both
   * projections (a SigLIP's text head and attention-pooling image head) and the logit scale (and
   * bias). {@code n = 0} trains only projections and logit scale. (A BERT text tower has no final
   * layer norm: each of its blocks ends with its own.)
   */
  public void freezeAllButLast(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("freeze: last N blocks must be >= 0; n=" + n);
    }
    List<String> keep = new ArrayList<>();
    for (String name : arrays.keySet()) {
      if (name.startsWith("logit_")
          || name.endsWith("_projection.weight")
          || name.startsWith("text_model.head.")
          || name.startsWith("vision_model.head.")) {
        keep.add(name);
      } else if (n > 0
          && (name.startsWith("text_model.final_layer_norm")
              || name.startsWith("vision_model.post_layernorm"))) {
        keep.add(name);
      } else if (inLastBlocks(name, textBlocks(), config.text().layers(), n)
          || inLastBlocks(name, "vision_model.encoder.layers.", config.image().layers(), n)) {
        keep.add(name);
      }
    }
    setTrainable(keep);
  }

  private String textBlocks() {
    return config.bertText() ? "text_model.encoder.layer." : "text_model.encoder.layers.";
  }

  private static boolean inLastBlocks(String name, String prefix, int layers, int n) {
    if (!name.startsWith(prefix)) {
      return false;
    }
    String rest = name.substring(prefix.length());
    int block = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
    return block >= layers - n;
  }

  private void setTrainable(Iterable<String> names) {
    trainable.clear();
    for (String n : names) {
      trainable.add(n);
    }
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      e.getValue().setRequiresGradient(trainable.contains(e.getKey()));
    }
  }

  /** Number of scalar parameters (all, or only trainable ones). */
  public long count(boolean trainableOnly) {
    long n = 0;
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      if (!trainableOnly || trainable.contains(e.getKey())) {
        n += e.getValue().getShape().size();
      }
    }
    return n;
  }

  /** Overwrites values in place (names and sizes must match). */
  @Override
  public void load(Map<String, float[]> values) {
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      float[] v = values.get(e.getKey());
      if (v == null) {
        throw new IllegalArgumentException("values lack tensor " + e.getKey());
      }
      if (v.length != e.getValue().getShape().size()) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "tensor %s: %d values, expected %d",
                e.getKey(),
                v.length,
                e.getValue().getShape().size()));
      }
      e.getValue().set(v);
    }
  }

  /** Clamps the logit scale so that exp(scale) stays at or below {@code max}. */
  public void clampLogitScale(double max) {
    NDArray s = get("logit_scale");
    float v = s.toFloatArray()[0];
    float cap = (float) Math.log(max);
    if (v > cap) {
      s.set(new float[] {cap});
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
