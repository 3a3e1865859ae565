package dev.shopsearch.tooling.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The float32 parameters of a CLIP model, named exactly as the Hugging Face {@code CLIPModel} state
 * dict names them ({@code text_model.encoder.layers.0.self_attn.q_proj.weight}, {@code
 * vision_model.pre_layrnorm.bias}, {@code visual_projection.weight}, {@code logit_scale}, ...), so
 * checkpoints can be imported and trained weights exported by name. With a BERT text tower ({@link
 * ClipConfig#bertText()}) the text names are {@code ChineseCLIPModel}'s ({@code
 * text_model.embeddings.word_embeddings.weight}, {@code
 * text_model.encoder.layer.0.attention.self.query.weight}, {@code ...output.LayerNorm.bias}).
 *
 * <p>Linear weights are {@code [out, in]} as in {@code torch.nn.Linear} (the graph computes {@code
 * x W^T + b}); the patch embedding is a bias-free {@code [width, 3, patch, patch]} convolution
 * kernel; the projections are bias-free {@code [embedDim, width]}; {@code logit_scale} is a scalar
 * (shape {@code []}) holding the natural log of the temperature's inverse. Data is row-major.
 *
 * <p>Instances are immutable in structure; the float arrays are shared, not copied, so callers must
 * not modify arrays they passed in or read out. Safe to read from several threads.
 */
public final class ClipWeights {

  /** Initial logit scale of CLIP: ln(1 / 0.07). */
  public static final float INIT_LOGIT_SCALE = (float) Math.log(1 / 0.07);

  /** Initial logit scale of SigLIP: ln 10. */
  public static final float SIGLIP_INIT_LOGIT_SCALE = (float) Math.log(10);

  /** Initial logit bias of SigLIP: -10. */
  public static final float SIGLIP_INIT_LOGIT_BIAS = -10f;

  /**
   * One named tensor.
   *
   * @param shape dimensions, row-major; {@code []} for a scalar
   * @param data {@code product(shape)} values
   */
  public record Tensor(int[] shape, float[] data) {
    public Tensor {
      shape = shape.clone();
      long n = 1;
      for (int d : shape) {
        if (d < 0) {
          throw new IllegalArgumentException(
              "negative dimension in shape " + Arrays.toString(shape));
        }
        n *= d;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "tensor of shape %s needs %d values but has %d",
                Arrays.toString(shape),
                n,
                data.length));
      }
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    /** The shape as longs (DJL, ORT and safetensors use long shapes). */
    public long[] longShape() {
      return Arrays.stream(shape).asLongStream().toArray();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }

  private final ClipConfig config;
  private final Map<String, Tensor> tensors;

  private ClipWeights(ClipConfig config, Map<String, Tensor> tensors) {
    this.config = config;
    this.tensors = Collections.unmodifiableMap(tensors);
  }

  /**
   * The parameter names and shapes of a configuration in a stable order (embeddings, blocks, final
   * norms, projections, logit scale).
   */
  public static Map<String, int[]> layout(ClipConfig c) {
    Map<String, int[]> m = new LinkedHashMap<>();
    ClipConfig.TextTower t = c.text();
    ClipConfig.ImageTower v = c.image();
    if (c.isSiglip()) {
      siglip(m, c);
      return m;
    }
    if (c.bertText()) {
      bertText(m, c);
    } else {
      m.put("text_model.embeddings.token_embedding.weight", new int[] {t.vocabSize(), t.width()});
      m.put(
          "text_model.embeddings.position_embedding.weight",
          new int[] {t.contextLength(), t.width()});
      blocks(m, "text_model.encoder.layers.", t.layers(), t.width(), t.mlpWidth());
      m.put("text_model.final_layer_norm.weight", new int[] {t.width()});
      m.put("text_model.final_layer_norm.bias", new int[] {t.width()});
    }
    int p = v.patchSize();
    m.put("vision_model.embeddings.class_embedding", new int[] {v.width()});
    m.put("vision_model.embeddings.patch_embedding.weight", new int[] {v.width(), 3, p, p});
    m.put(
        "vision_model.embeddings.position_embedding.weight",
        new int[] {v.numPositions(), v.width()});
    m.put("vision_model.pre_layrnorm.weight", new int[] {v.width()});
    m.put("vision_model.pre_layrnorm.bias", new int[] {v.width()});
    blocks(m, "vision_model.encoder.layers.", v.layers(), v.width(), v.mlpWidth());
    m.put("vision_model.post_layernorm.weight", new int[] {v.width()});
    m.put("vision_model.post_layernorm.bias", new int[] {v.width()});
    m.put("visual_projection.weight", new int[] {c.embedDim(), v.width()});
    m.put("text_projection.weight", new int[] {c.embedDim(), t.width()});
    m.put("logit_scale", new int[] {});
    return m;
  }

  /**
   * SigLIP, named as {@code SiglipModel}: no projections; {@code text_model.head} (biased linear),
   * a biased patch convolution, no class embedding or pre-LN, the attention pooling head {@code
   * vision_model.head} ({@code probe}, a {@code torch.nn.MultiheadAttention} with fused {@code
   * in_proj_weight [3w, w]}, {@code layernorm}, {@code mlp}); scalar {@code logit_scale} and {@code
   * logit_bias} (transformers stores them as {@code [1]}; importers read that as a scalar).
   */
  private static void siglip(Map<String, int[]> m, ClipConfig c) {
    ClipConfig.TextTower t = c.text();
    ClipConfig.ImageTower v = c.image();
    m.put("text_model.embeddings.token_embedding.weight", new int[] {t.vocabSize(), t.width()});
    m.put(
        "text_model.embeddings.position_embedding.weight",
        new int[] {t.contextLength(), t.width()});
    blocks(m, "text_model.encoder.layers.", t.layers(), t.width(), t.mlpWidth());
    m.put("text_model.final_layer_norm.weight", new int[] {t.width()});
    m.put("text_model.final_layer_norm.bias", new int[] {t.width()});
    m.put("text_model.head.weight", new int[] {t.width(), t.width()});
    m.put("text_model.head.bias", new int[] {t.width()});
    int p = v.patchSize();
    int w = v.width();
    m.put("vision_model.embeddings.patch_embedding.weight", new int[] {w, 3, p, p});
    m.put("vision_model.embeddings.patch_embedding.bias", new int[] {w});
    m.put("vision_model.embeddings.position_embedding.weight", new int[] {c.imagePositions(), w});
    blocks(m, "vision_model.encoder.layers.", v.layers(), w, v.mlpWidth());
    m.put("vision_model.post_layernorm.weight", new int[] {w});
    m.put("vision_model.post_layernorm.bias", new int[] {w});
    String h = "vision_model.head.";
    m.put(h + "probe", new int[] {1, 1, w});
    m.put(h + "attention.in_proj_weight", new int[] {3 * w, w});
    m.put(h + "attention.in_proj_bias", new int[] {3 * w});
    m.put(h + "attention.out_proj.weight", new int[] {w, w});
    m.put(h + "attention.out_proj.bias", new int[] {w});
    m.put(h + "layernorm.weight", new int[] {w});
    m.put(h + "layernorm.bias", new int[] {w});
    m.put(h + "mlp.fc1.weight", new int[] {v.mlpWidth(), w});
    m.put(h + "mlp.fc1.bias", new int[] {v.mlpWidth()});
    m.put(h + "mlp.fc2.weight", new int[] {w, v.mlpWidth()});
    m.put(h + "mlp.fc2.bias", new int[] {w});
    m.put("logit_scale", new int[] {});
    m.put("logit_bias", new int[] {});
  }

  /** Chinese-CLIP's BERT text tower, named as {@code ChineseCLIPTextModel} (no pooler). */
  private static void bertText(Map<String, int[]> m, ClipConfig c) {
    ClipConfig.TextTower t = c.text();
    int w = t.width();
    String e = "text_model.embeddings.";
    m.put(e + "word_embeddings.weight", new int[] {t.vocabSize(), w});
    m.put(e + "position_embeddings.weight", new int[] {t.contextLength(), w});
    m.put(e + "token_type_embeddings.weight", new int[] {c.bert().typeVocabSize(), w});
    m.put(e + "LayerNorm.weight", new int[] {w});
    m.put(e + "LayerNorm.bias", new int[] {w});
    for (int i = 0; i < t.layers(); i++) {
      String b = "text_model.encoder.layer." + i + ".";
      for (String proj : List.of("query", "key", "value")) {
        m.put(b + "attention.self." + proj + ".weight", new int[] {w, w});
        m.put(b + "attention.self." + proj + ".bias", new int[] {w});
      }
      m.put(b + "attention.output.dense.weight", new int[] {w, w});
      m.put(b + "attention.output.dense.bias", new int[] {w});
      m.put(b + "attention.output.LayerNorm.weight", new int[] {w});
      m.put(b + "attention.output.LayerNorm.bias", new int[] {w});
      m.put(b + "intermediate.dense.weight", new int[] {t.mlpWidth(), w});
      m.put(b + "intermediate.dense.bias", new int[] {t.mlpWidth()});
      m.put(b + "output.dense.weight", new int[] {w, t.mlpWidth()});
      m.put(b + "output.dense.bias", new int[] {w});
      m.put(b + "output.LayerNorm.weight", new int[] {w});
      m.put(b + "output.LayerNorm.bias", new int[] {w});
    }
  }

  private static void blocks(Map<String, int[]> m, String prefix, int layers, int w, int mlp) {
    for (int i = 0; i < layers; i++) {
      String b = prefix + i + ".";
      for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
        m.put(b + "self_attn." + proj + ".weight", new int[] {w, w});
        m.put(b + "self_attn." + proj + ".bias", new int[] {w});
      }
      m.put(b + "layer_norm1.weight", new int[] {w});
      m.put(b + "layer_norm1.bias", new int[] {w});
      m.put(b + "mlp.fc1.weight", new int[] {mlp, w});
      m.put(b + "mlp.fc1.bias", new int[] {mlp});
      m.put(b + "mlp.fc2.weight", new int[] {w, mlp});
      m.put(b + "mlp.fc2.bias", new int[] {w});
      m.put(b + "layer_norm2.weight", new int[] {w});
      m.put(b + "layer_norm2.bias", new int[] {w});
    }
  }

  /**
   * Wraps named tensors after checking them against {@link #layout(ClipConfig)}. Hugging Face
   * buffers named {@code *.position_ids} are ignored; any other unknown name is an error.
   *
   * @throws IllegalArgumentException listing missing names, unexpected names or shape mismatches
   */
  public static ClipWeights of(ClipConfig config, Map<String, Tensor> named) {
    Map<String, int[]> layout = layout(config);
    List<String> problems = new ArrayList<>();
    Map<String, Tensor> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : layout.entrySet()) {
      Tensor t = named.get(e.getKey());
      if (t == null) {
        problems.add("missing " + e.getKey() + " " + Arrays.toString(e.getValue()));
      } else if (!Arrays.equals(t.shape, e.getValue())) {
        problems.add(
            String.format(
                Locale.ROOT,
                "%s has shape %s, expected %s",
                e.getKey(),
                Arrays.toString(t.shape),
                Arrays.toString(e.getValue())));
      } else {
        ordered.put(e.getKey(), t);
      }
    }
    for (String name : named.keySet()) {
      if (!layout.containsKey(name) && !name.endsWith("position_ids")) {
        problems.add("unexpected " + name);
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 20);
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "CLIP weights do not match the config (%d problems%s): %s",
              problems.size(),
              shown < problems.size() ? ", first " + shown : "",
              String.join("; ", problems.subList(0, shown))));
    }
    return new ClipWeights(config, ordered);
  }

  /**
   * Seeded random initialisation with OpenAI CLIP's scales ({@code std}, {@code w} = tower width,
   * {@code L} = tower layers): token embeddings 0.02; text position embeddings 0.01; vision class
   * token, position embeddings and patch kernel {@code w^-0.5}; q/k/v {@code w^-0.5}; {@code
   * out_proj} and {@code fc2} {@code w^-0.5 (2L)^-0.5}; {@code fc1} {@code (2w)^-0.5}; text and
   * visual projections {@code w^-0.5}; layer norms (1, 0); biases 0; logit scale ln(1/0.07). A BERT
   * text tower ({@link ClipConfig#bertText()}): its three embeddings 0.02, its other matrices
   * {@code w^-0.5}. A SigLIP ({@link ClipConfig#isSiglip()}): the same scales by name, its patch
   * bias 0, logit scale ln 10 and bias -10. The same seed always gives the same weights.
   */
  public static ClipWeights random(ClipConfig config, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> e : layout(config).entrySet()) {
      String name = e.getKey();
      int[] shape = e.getValue();
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      float[] v = new float[n];
      if (name.equals("logit_scale")) {
        v[0] = config.isSiglip() ? SIGLIP_INIT_LOGIT_SCALE : INIT_LOGIT_SCALE;
      } else if (name.equals("logit_bias")) {
        v[0] = SIGLIP_INIT_LOGIT_BIAS;
      } else if (name.contains("norm") || name.contains("LayerNorm")) {
        if (name.endsWith(".weight")) {
          Arrays.fill(v, 1f);
        }
      } else if (!name.endsWith("bias")) {
        fillGaussian(v, initStd(config, name), rnd);
      }
      out.put(name, new Tensor(shape, v));
    }
    return new ClipWeights(config, out);
  }

  private static double initStd(ClipConfig c, String name) {
    boolean text = name.startsWith("text_model.");
    int width = text ? c.text().width() : c.image().width();
    int layers = text ? c.text().layers() : c.image().layers();
    double attnStd = Math.pow(width, -0.5);
    double projStd = attnStd * Math.pow(2.0 * Math.max(1, layers), -0.5);
    if (name.endsWith("token_embedding.weight")
        || (c.bertText() && name.startsWith("text_model.embeddings."))) {
      return 0.02;
    } else if (name.startsWith("text_model.embeddings.position_embedding")) {
      return 0.01;
    } else if (name.startsWith("vision_model.embeddings.")) {
      return attnStd;
    } else if (name.equals("text_projection.weight")) {
      return Math.pow(c.text().width(), -0.5);
    } else if (name.equals("visual_projection.weight")) {
      return Math.pow(c.image().width(), -0.5);
    } else if (name.contains("out_proj") || name.contains("mlp.fc2")) {
      return projStd;
    } else if (name.contains("mlp.fc1")) {
      return Math.pow(2.0 * width, -0.5);
    }
    return attnStd;
  }

  private static void fillGaussian(float[] v, double std, SplittableRandom rnd) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rnd.nextGaussian() * std);
    }
  }

  /** The configuration these weights belong to. */
  public ClipConfig config() {
    return config;
  }

  /** All tensors in {@link #layout(ClipConfig)} order (unmodifiable). */
  public Map<String, Tensor> tensors() {
    return tensors;
  }

  /**
   * One tensor by Hugging Face name.
   *
   * @throws IllegalArgumentException if there is no such tensor
   */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException(
          "no CLIP weight named '" + name + "' (" + tensors.size() + " tensors)");
    }
    return t;
  }

  /** Total number of parameters. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.data.length;
    }
    return n;
  }
}
