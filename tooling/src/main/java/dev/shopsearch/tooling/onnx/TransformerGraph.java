package dev.shopsearch.tooling.onnx;

import java.util.HashMap;
import java.util.Map;

/**
 * Graph pieces shared by both CLIP towers: weight initializers by Hugging Face name, layer norms,
 * pre-LN transformer blocks (fused QKV attention + MLP). Keeps one {@link OnnxGraphBuilder}; not
 * thread-safe.
 */
final class TransformerGraph {
  final OnnxGraphBuilder g;
  private final ClipWeights weights;
  private final ClipConfig config;
  private final Map<String, String> added = new HashMap<>();

  TransformerGraph(OnnxGraphBuilder g, ClipWeights weights, ClipConfig config) {
    this.g = g;
    this.weights = weights;
    this.config = config;
  }

  /** Adds the named weight as an initializer in its stored shape (once) and returns its name. */
  String weight(String name) {
    return added.computeIfAbsent(
        name,
        n -> {
          ClipWeights.Tensor t = weights.get(n);
          return g.floats(n, t.data(), t.longShape());
        });
  }

  /**
   * Adds a {@code [out, in]} linear weight transposed to {@code [in, out]} (for {@code MatMul}),
   * named {@code <name>_t}.
   */
  String transposed(String name) {
    ClipWeights.Tensor t = weights.get(name);
    int[] s = t.shape();
    return g.floats(name + "_t", transpose(t.data(), s[0], s[1], 1f), s[1], s[0]);
  }

  /**
   * {@code LayerNormalization} over the last axis with {@code <hf>.weight} and {@code <hf>.bias}.
   */
  String layerNorm(String node, String x, String hf) {
    return g.node(
        "LayerNormalization",
        node,
        new String[] {x, weight(hf + ".weight"), weight(hf + ".bias")},
        "axis",
        -1L,
        "epsilon",
        config.layerNormEps());
  }

  /**
   * One pre-LN block: {@code x + attn(ln1(x))}, then {@code x + mlp(ln2(x))}.
   *
   * @param hf Hugging Face prefix, e.g. {@code text_model.encoder.layers.0.}
   * @param n node name prefix, e.g. {@code text/layers.0/}
   * @param x input {@code [batch, seq, width]}
   * @param mask additive attention mask {@code [seq, seq]}, or {@code null}
   */
  String block(String hf, String n, String x, int width, int heads, String mask) {
    int headDim = width / heads;
    String h = layerNorm(n + "layer_norm1", x, hf + "layer_norm1");
    String qkv =
        g.node("MatMul", n + "attn/qkv_matmul", new String[] {h, qkvWeight(hf, width, headDim)});
    qkv = g.node("Add", n + "attn/qkv", new String[] {qkv, qkvBias(hf, width, headDim)});
    String[] split =
        g.nodeWithOutputs(
            "Split",
            n + "attn/split",
            new String[] {n + "attn/q", n + "attn/k", n + "attn/v"},
            new String[] {qkv},
            "axis",
            -1L);
    String headShape = g.int64Vector(n + "attn/const/head_shape", 0, 0, heads, headDim);
    String q = heads(n + "attn/q", split[0], headShape, new long[] {0, 2, 1, 3});
    String k = heads(n + "attn/k", split[1], headShape, new long[] {0, 2, 3, 1});
    String v = heads(n + "attn/v", split[2], headShape, new long[] {0, 2, 1, 3});
    String scores = g.node("MatMul", n + "attn/scores", new String[] {q, k});
    if (mask != null) {
      scores = g.node("Add", n + "attn/masked_scores", new String[] {scores, mask});
    }
    String probs = g.node("Softmax", n + "attn/probs", new String[] {scores}, "axis", -1L);
    String ctx = g.node("MatMul", n + "attn/context_heads", new String[] {probs, v});
    ctx =
        g.node(
            "Transpose", n + "attn/context_t", new String[] {ctx}, "perm", new long[] {0, 2, 1, 3});
    ctx =
        g.node(
            "Reshape",
            n + "attn/context",
            new String[] {ctx, g.int64Vector(n + "attn/const/merge_shape", 0, 0, width)});
    String attn = linear(n + "attn/out_proj", ctx, hf + "self_attn.out_proj");
    String x1 = g.node("Add", n + "residual1", new String[] {x, attn});

    String h2 = layerNorm(n + "layer_norm2", x1, hf + "layer_norm2");
    String m = linear(n + "mlp/fc1", h2, hf + "mlp.fc1");
    m = activation(n + "mlp/act", m);
    m = linear(n + "mlp/fc2", m, hf + "mlp.fc2");
    return g.node("Add", n + "residual2", new String[] {x1, m});
  }

  private String heads(String n, String x, String headShape, long[] perm) {
    String r = g.node("Reshape", n + "_heads", new String[] {x, headShape});
    return g.node("Transpose", n + "_heads_t", new String[] {r}, "perm", perm);
  }

  private String linear(String n, String x, String hf) {
    String mm = g.node("MatMul", n + "_matmul", new String[] {x, transposed(hf + ".weight")});
    return g.node("Add", n, new String[] {mm, weight(hf + ".bias")});
  }

  private String activation(String n, String x) {
    return switch (config.activation()) {
      case QUICK_GELU -> {
        String scaled =
            g.node("Mul", n + "_scaled", new String[] {x, g.scalar(n + "_alpha", 1.702f)});
        String gate = g.node("Sigmoid", n + "_gate", new String[] {scaled});
        yield g.node("Mul", n, new String[] {x, gate});
      }
      case GELU -> {
        String scaled =
            g.node(
                "Mul",
                n + "_scaled",
                new String[] {x, g.scalar(n + "_inv_sqrt2", (float) (1 / Math.sqrt(2)))});
        String erf = g.node("Erf", n + "_erf", new String[] {scaled});
        String plus = g.node("Add", n + "_erf_plus1", new String[] {erf, g.scalar(n + "_one", 1f)});
        String half = g.node("Mul", n + "_half_x", new String[] {x, g.scalar(n + "_half", 0.5f)});
        yield g.node("Mul", n, new String[] {half, plus});
      }
    };
  }

  /** {@code [width, 3 width]}: q (pre-scaled by headDim^-0.5), k, v weights transposed. */
  private String qkvWeight(String hf, int width, int headDim) {
    float scale = (float) Math.pow(headDim, -0.5);
    float[] out = new float[width * 3 * width];
    String[] projs = {"q_proj", "k_proj", "v_proj"};
    for (int p = 0; p < 3; p++) {
      float[] w = weights.get(hf + "self_attn." + projs[p] + ".weight").data();
      float s = p == 0 ? scale : 1f;
      for (int o = 0; o < width; o++) {
        for (int i = 0; i < width; i++) {
          out[i * 3 * width + p * width + o] = w[o * width + i] * s;
        }
      }
    }
    return g.floats(hf + "self_attn.qkv_proj.weight_t", out, width, 3L * width);
  }

  private String qkvBias(String hf, int width, int headDim) {
    float scale = (float) Math.pow(headDim, -0.5);
    float[] out = new float[3 * width];
    String[] projs = {"q_proj", "k_proj", "v_proj"};
    for (int p = 0; p < 3; p++) {
      float[] b = weights.get(hf + "self_attn." + projs[p] + ".bias").data();
      for (int o = 0; o < width; o++) {
        out[p * width + o] = b[o] * (p == 0 ? scale : 1f);
      }
    }
    return g.floats(hf + "self_attn.qkv_proj.bias", out, 3L * width);
  }

  static float[] transpose(float[] w, int rows, int cols, float scale) {
    float[] t = new float[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = w[r * cols + c] * scale;
      }
    }
    return t;
  }
}
