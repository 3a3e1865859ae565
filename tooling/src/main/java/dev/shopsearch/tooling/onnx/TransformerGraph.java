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
    return layerNorm(node, x, hf, config.layerNormEps());
  }

  /** As {@link #layerNorm(String, String, String)} with the given epsilon. */
  String layerNorm(String node, String x, String hf, float eps) {
    return g.node(
        "LayerNormalization",
        node,
        new String[] {x, weight(hf + ".weight"), weight(hf + ".bias")},
        "axis",
        -1L,
        "epsilon",
        eps);
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
    String h = layerNorm(n + "layer_norm1", x, hf + "layer_norm1");
    String a = hf + "self_attn.";
    String attn =
        attention(
            n + "attn/",
            h,
            new String[] {a + "q_proj", a + "k_proj", a + "v_proj"},
            a + "out_proj",
            width,
            heads,
            mask);
    String x1 = g.node("Add", n + "residual1", new String[] {x, attn});

    String h2 = layerNorm(n + "layer_norm2", x1, hf + "layer_norm2");
    String m = linear(n + "mlp/fc1", h2, hf + "mlp.fc1");
    m = activation(n + "mlp/act", m, config.activation());
    m = linear(n + "mlp/fc2", m, hf + "mlp.fc2");
    return g.node("Add", n + "residual2", new String[] {x1, m});
  }

  /**
   * Multi-head self-attention with fused QKV projection (query pre-scaled by {@code headDim^-0.5})
   * and output projection.
   *
   * @param n node name prefix, e.g. {@code text/layers.0/attn/}
   * @param h input {@code [batch, seq, width]}
   * @param qkv Hugging Face prefixes of the query, key and value linears
   * @param out Hugging Face prefix of the output linear
   * @param mask additive mask broadcastable to {@code [batch, heads, seq, seq]}, or {@code null}
   */
  String attention(
      String n, String h, String[] qkv, String out, int width, int heads, String mask) {
    int headDim = width / heads;
    String fused =
        g.node("MatMul", n + "qkv_matmul", new String[] {h, qkvWeight(qkv, width, headDim)});
    fused = g.node("Add", n + "qkv", new String[] {fused, qkvBias(qkv, width, headDim)});
    String[] split =
        g.nodeWithOutputs(
            "Split",
            n + "split",
            new String[] {n + "q", n + "k", n + "v"},
            new String[] {fused},
            "axis",
            -1L);
    String headShape = g.int64Vector(n + "const/head_shape", 0, 0, heads, headDim);
    String q = heads(n + "q", split[0], headShape, new long[] {0, 2, 1, 3});
    String k = heads(n + "k", split[1], headShape, new long[] {0, 2, 3, 1});
    String v = heads(n + "v", split[2], headShape, new long[] {0, 2, 1, 3});
    String scores = g.node("MatMul", n + "scores", new String[] {q, k});
    if (mask != null) {
      scores = g.node("Add", n + "masked_scores", new String[] {scores, mask});
    }
    String probs = g.node("Softmax", n + "probs", new String[] {scores}, "axis", -1L);
    String ctx = g.node("MatMul", n + "context_heads", new String[] {probs, v});
    ctx = g.node("Transpose", n + "context_t", new String[] {ctx}, "perm", new long[] {0, 2, 1, 3});
    ctx =
        g.node(
            "Reshape",
            n + "context",
            new String[] {ctx, g.int64Vector(n + "const/merge_shape", 0, 0, width)});
    return linear(n + "out_proj", ctx, out);
  }

  private String heads(String n, String x, String headShape, long[] perm) {
    String r = g.node("Reshape", n + "_heads", new String[] {x, headShape});
    return g.node("Transpose", n + "_heads_t", new String[] {r}, "perm", perm);
  }

  /** {@code x W^T + b} with {@code <hf>.weight} ({@code [out, in]}) and {@code <hf>.bias}. */
  String linear(String n, String x, String hf) {
    String mm = g.node("MatMul", n + "_matmul", new String[] {x, transposed(hf + ".weight")});
    return g.node("Add", n, new String[] {mm, weight(hf + ".bias")});
  }

  /** The MLP activation {@code act} applied to {@code x}. */
  String activation(String n, String x, ClipConfig.Activation act) {
    return switch (act) {
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
      case GELU_TANH -> {
        String cube = g.node("Mul", n + "_x2", new String[] {x, x});
        cube = g.node("Mul", n + "_x3", new String[] {cube, x});
        cube = g.node("Mul", n + "_cubic", new String[] {cube, g.scalar(n + "_c", 0.044715f)});
        String inner = g.node("Add", n + "_inner", new String[] {x, cube});
        inner =
            g.node(
                "Mul",
                n + "_inner_scaled",
                new String[] {
                  inner, g.scalar(n + "_sqrt_2_over_pi", (float) Math.sqrt(2 / Math.PI))
                });
        String tanh = g.node("Tanh", n + "_tanh", new String[] {inner});
        String plus =
            g.node("Add", n + "_tanh_plus1", new String[] {tanh, g.scalar(n + "_one", 1f)});
        String half = g.node("Mul", n + "_half_x", new String[] {x, g.scalar(n + "_half", 0.5f)});
        yield g.node("Mul", n, new String[] {half, plus});
      }
    };
  }

  /** {@code [width, 3 width]}: q (pre-scaled by headDim^-0.5), k, v weights transposed. */
  private String qkvWeight(String[] qkv, int width, int headDim) {
    float scale = (float) Math.pow(headDim, -0.5);
    float[] out = new float[width * 3 * width];
    for (int p = 0; p < 3; p++) {
      float[] w = weights.get(qkv[p] + ".weight").data();
      float s = p == 0 ? scale : 1f;
      for (int o = 0; o < width; o++) {
        for (int i = 0; i < width; i++) {
          out[i * 3 * width + p * width + o] = w[o * width + i] * s;
        }
      }
    }
    return g.floats(fusedName(qkv) + ".weight_t", out, width, 3L * width);
  }

  private String qkvBias(String[] qkv, int width, int headDim) {
    float scale = (float) Math.pow(headDim, -0.5);
    float[] out = new float[3 * width];
    for (int p = 0; p < 3; p++) {
      float[] b = weights.get(qkv[p] + ".bias").data();
      for (int o = 0; o < width; o++) {
        out[p * width + o] = b[o] * (p == 0 ? scale : 1f);
      }
    }
    return g.floats(fusedName(qkv) + ".bias", out, 3L * width);
  }

  /** {@code <parent>.qkv_proj}: the parent module of the query linear. */
  private static String fusedName(String[] qkv) {
    return qkv[0].substring(0, qkv[0].lastIndexOf('.') + 1) + "qkv_proj";
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
