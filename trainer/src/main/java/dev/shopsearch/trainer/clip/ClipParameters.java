package dev.shopsearch.trainer.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
public final class ClipParameters implements AutoCloseable {

  /** Initial logit scale: ln(1/0.07). */
  public static final float INIT_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  private final ClipArch arch;
  private final NDManager manager;
  private final Map<String, NDArray> arrays = new LinkedHashMap<>();
  private final Set<String> trainable = new TreeSet<>();

  private ClipParameters(ClipArch arch, NDManager parent) {
    this.arch = arch;
    this.manager = parent.newSubManager();
  }

  /** The expected parameter names and shapes of an architecture, in a stable order. */
  public static Map<String, long[]> layout(ClipArch a) {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put(
        "text_model.embeddings.token_embedding.weight", new long[] {a.vocabSize(), a.textWidth()});
    m.put(
        "text_model.embeddings.position_embedding.weight",
        new long[] {a.maxPositions(), a.textWidth()});
    blocks(m, "text_model.encoder.layers.", a.textLayers(), a.textWidth(), a.textMlp());
    m.put("text_model.final_layer_norm.weight", new long[] {a.textWidth()});
    m.put("text_model.final_layer_norm.bias", new long[] {a.textWidth()});
    int p = a.patchSize();
    m.put("vision_model.embeddings.class_embedding", new long[] {a.visionWidth()});
    m.put("vision_model.embeddings.patch_embedding.weight", new long[] {a.visionWidth(), 3, p, p});
    m.put(
        "vision_model.embeddings.position_embedding.weight",
        new long[] {a.patches() + 1L, a.visionWidth()});
    m.put("vision_model.pre_layrnorm.weight", new long[] {a.visionWidth()});
    m.put("vision_model.pre_layrnorm.bias", new long[] {a.visionWidth()});
    blocks(m, "vision_model.encoder.layers.", a.visionLayers(), a.visionWidth(), a.visionMlp());
    m.put("vision_model.post_layernorm.weight", new long[] {a.visionWidth()});
    m.put("vision_model.post_layernorm.bias", new long[] {a.visionWidth()});
    m.put("visual_projection.weight", new long[] {a.projectionDim(), a.visionWidth()});
    m.put("text_projection.weight", new long[] {a.projectionDim(), a.textWidth()});
    m.put("logit_scale", new long[] {});
    return m;
  }

  private static void blocks(Map<String, long[]> m, String prefix, int layers, int w, int mlp) {
    for (int i = 0; i < layers; i++) {
      String b = prefix + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
        m.put(b + "self_attn." + proj + ".weight", new long[] {w, w});
        m.put(b + "self_attn." + proj + ".bias", new long[] {w});
      }
      m.put(b + "layer_norm1.weight", new long[] {w});
      m.put(b + "layer_norm1.bias", new long[] {w});
      m.put(b + "mlp.fc1.weight", new long[] {mlp, w});
      m.put(b + "mlp.fc1.bias", new long[] {mlp});
      m.put(b + "mlp.fc2.weight", new long[] {w, mlp});
      m.put(b + "mlp.fc2.bias", new long[] {w});
      m.put(b + "layer_norm2.weight", new long[] {w});
      m.put(b + "layer_norm2.bias", new long[] {w});
    }
  }

  /**
   * Random initialisation (seeded, independent of the engine): linear and embedding weights from
   * N(0, 0.02²), the class embedding from N(0, 1/width), layer norms at (1, 0), biases at 0, logit
   * scale at ln(1/0.07).
   */
  public static ClipParameters random(ClipArch arch, NDManager parent, long seed) {
    ClipParameters p = new ClipParameters(arch, parent);
    Random rnd = new Random(seed);
    for (Map.Entry<String, long[]> e : layout(arch).entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      float[] v = new float[(int) new Shape(shape).size()];
      if (name.equals("logit_scale")) {
        v[0] = INIT_LOGIT_SCALE;
      } else if (name.contains("norm") || name.contains("layrnorm")) {
        if (name.endsWith(".weight")) {
          java.util.Arrays.fill(v, 1f);
        }
      } else if (name.endsWith(".bias")) {
        // zeros
      } else {
        double std = name.endsWith("class_embedding") ? Math.pow(arch.visionWidth(), -0.5) : 0.02;
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rnd.nextGaussian() * std);
        }
      }
      p.put(name, v, shape);
    }
    p.trainAll();
    return p;
  }

  /**
   * Parameters from named float tensors in Hugging Face layout. Every name of {@link
   * #layout(ClipArch)} must be present with its shape; other names (e.g. {@code position_ids}
   * buffers) are ignored.
   *
   * @throws IllegalArgumentException naming the missing tensor or the mismatching shape
   */
  public static ClipParameters fromTensors(
      ClipArch arch, NDManager parent, Map<String, float[]> values, Map<String, long[]> shapes) {
    ClipParameters p = new ClipParameters(arch, parent);
    try {
      for (Map.Entry<String, long[]> e : layout(arch).entrySet()) {
        String name = e.getKey();
        float[] v = values.get(name);
        if (v == null) {
          throw new IllegalArgumentException("weights lack tensor " + name);
        }
        long[] want = e.getValue();
        long[] got = shapes.get(name);
        if (got != null && !sameShape(want, got)) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "tensor %s has shape %s, architecture expects %s",
                  name,
                  java.util.Arrays.toString(got),
                  java.util.Arrays.toString(want)));
        }
        if (v.length != new Shape(want).size()) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "tensor %s has %d values, architecture expects %s",
                  name,
                  v.length,
                  java.util.Arrays.toString(want)));
        }
        p.put(name, v, want);
      }
    } catch (RuntimeException ex) {
      p.close();
      throw ex;
    }
    p.trainAll();
    return p;
  }

  private static boolean sameShape(long[] want, long[] got) {
    // a scalar may be stored as [] or [1]
    if (want.length == 0) {
      return got.length == 0 || (got.length == 1 && got[0] == 1);
    }
    return java.util.Arrays.equals(want, got);
  }

  private void put(String name, float[] v, long[] shape) {
    NDArray a = manager.create(v, new Shape(shape));
    a.setName(name);
    arrays.put(name, a);
  }

  /** The architecture. */
  public ClipArch arch() {
    return arch;
  }

  /** The parameter named {@code name}. */
  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return a;
  }

  /** All parameters by name (unmodifiable, layout order). */
  public Map<String, NDArray> all() {
    return Collections.unmodifiableMap(arrays);
  }

  /** Names that receive gradients. */
  public Set<String> trainable() {
    return Collections.unmodifiableSet(trainable);
  }

  /** Makes every parameter trainable. */
  public void trainAll() {
    setTrainable(arrays.keySet());
  }

  /**
   * Freezes everything except the last {@code n} blocks of each tower, the final layer norms, both
   * projections and the logit scale. {@code n = 0} trains only projections and logit scale.
   */
  public void freezeAllButLast(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("freeze: last N blocks must be >= 0; n=" + n);
    }
    List<String> keep = new ArrayList<>();
    for (String name : arrays.keySet()) {
      if (name.equals("logit_scale") || name.endsWith("_projection.weight")) {
        keep.add(name);
      } else if (n > 0
          && (name.startsWith("text_model.final_layer_norm")
              || name.startsWith("vision_model.post_layernorm"))) {
        keep.add(name);
      } else if (inLastBlocks(name, "text_model.encoder.layers.", arch.textLayers(), n)
          || inLastBlocks(name, "vision_model.encoder.layers.", arch.visionLayers(), n)) {
        keep.add(name);
      }
    }
    setTrainable(keep);
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

  /** Copies of all values as Java arrays (name to values). */
  public Map<String, float[]> values() {
    Map<String, float[]> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  /** Shapes of all parameters (name to shape). */
  public Map<String, long[]> shapes() {
    Map<String, long[]> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.getShape().getShape()));
    return out;
  }

  /** Overwrites values in place (names and sizes must match). */
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

  /** The parameters as a named list (for safetensors checkpoints). */
  public NDList toNdList() {
    NDList list = new NDList();
    arrays.values().forEach(list::add);
    return list;
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

  /** Checks that an array is float32 (the only training precision supported here). */
  static void requireFloat32(NDArray a) {
    if (a.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "expected float32 for " + a.getName() + ", got " + a.getDataType());
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
