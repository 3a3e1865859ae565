package dev.shopsearch.tooling.onnx;

/**
 * Plain-Java CLIP forward pass (double accumulation, one example at a time), written straight from
 * the Hugging Face {@code CLIPModel} definition, to check the ONNX graphs against. Slow; tests
 * only.
 */
final class ClipReference {
  private final ClipConfig config;
  private final ClipWeights weights;

  ClipReference(ClipConfig config, ClipWeights weights) {
    this.config = config;
    this.weights = weights;
  }

  /** {@code text_embeds} of one right-padded sequence. */
  float[] text(long[] ids, long[] mask) {
    ClipConfig.TextTower t = config.text();
    int seq = ids.length;
    float[] tok = w("text_model.embeddings.token_embedding.weight");
    float[] pos = w("text_model.embeddings.position_embedding.weight");
    float[][] x = new float[seq][t.width()];
    for (int s = 0; s < seq; s++) {
      for (int c = 0; c < t.width(); c++) {
        x[s][c] = tok[(int) ids[s] * t.width() + c] + pos[s * t.width() + c];
      }
    }
    for (int l = 0; l < t.layers(); l++) {
      x = block("text_model.encoder.layers." + l + ".", x, t.heads(), true);
    }
    int len = 0;
    for (long m : mask) {
      len += (int) m;
    }
    float[] pooled = layerNorm(x[len - 1], "text_model.final_layer_norm");
    return linear(pooled, w("text_projection.weight"), null, config.embedDim());
  }

  /**
   * {@code text_embeds} of a Chinese-CLIP BERT text tower ({@code
   * ChineseCLIPModel.get_text_features} with token types 0): embeddings + layer norm, post-LN
   * layers attending only to real tokens ({@code mask = 1}), token 0's hidden state, {@code
   * text_projection}.
   */
  float[] bertText(long[] ids, long[] mask) {
    ClipConfig.TextTower t = config.text();
    float eps = config.textLayerNormEps();
    int width = t.width();
    String e = "text_model.embeddings.";
    float[] word = w(e + "word_embeddings.weight");
    float[] pos = w(e + "position_embeddings.weight");
    float[] type = w(e + "token_type_embeddings.weight");
    float[][] x = new float[ids.length][width];
    for (int s = 0; s < ids.length; s++) {
      for (int c = 0; c < width; c++) {
        x[s][c] = word[(int) ids[s] * width + c] + pos[s * width + c] + type[c];
      }
      x[s] = layerNorm(x[s], e + "LayerNorm", eps);
    }
    for (int l = 0; l < t.layers(); l++) {
      x = bertLayer("text_model.encoder.layer." + l + ".", x, mask, t.heads(), eps);
    }
    return linear(x[0], w("text_projection.weight"), null, config.embedDim());
  }

  /** One post-LN BERT layer: {@code LN(x + attn(x))}, then {@code LN(x + mlp(x))}. */
  float[][] bertLayer(String hf, float[][] x, long[] mask, int heads, float eps) {
    int width = x[0].length;
    String a = hf + "attention.self.";
    float[][] ctx = attention(x, a + "query", a + "key", a + "value", heads, mask, false);
    float[][] out = new float[x.length][];
    for (int s = 0; s < x.length; s++) {
      float[] attn = proj(ctx[s], hf + "attention.output.dense", width);
      float[] x1 = new float[width];
      for (int c = 0; c < width; c++) {
        x1[c] = x[s][c] + attn[c];
      }
      x1 = layerNorm(x1, hf + "attention.output.LayerNorm", eps);
      float[] m = proj(x1, hf + "intermediate.dense", 4 * width);
      for (int i = 0; i < m.length; i++) {
        m[i] = activation(m[i], config.textActivation());
      }
      m = proj(m, hf + "output.dense", width);
      for (int c = 0; c < width; c++) {
        m[c] += x1[c];
      }
      out[s] = layerNorm(m, hf + "output.LayerNorm", eps);
    }
    return out;
  }

  /** {@code image_embeds} of one image, {@code pixels} in CHW order. */
  float[] image(float[] pixels) {
    ClipConfig.ImageTower v = config.image();
    int size = v.imageSize();
    int p = v.patchSize();
    int grid = v.gridSize();
    int width = v.width();
    float[] kernel = w("vision_model.embeddings.patch_embedding.weight");
    float[] pos = w("vision_model.embeddings.position_embedding.weight");
    float[][] x = new float[v.numPositions()][width];
    float[] cls = w("vision_model.embeddings.class_embedding");
    for (int c = 0; c < width; c++) {
      x[0][c] = cls[c] + pos[c];
    }
    for (int gy = 0; gy < grid; gy++) {
      for (int gx = 0; gx < grid; gx++) {
        int token = 1 + gy * grid + gx;
        for (int o = 0; o < width; o++) {
          double sum = 0;
          for (int ch = 0; ch < 3; ch++) {
            for (int ky = 0; ky < p; ky++) {
              for (int kx = 0; kx < p; kx++) {
                float pixel = pixels[(ch * size + gy * p + ky) * size + gx * p + kx];
                sum += pixel * kernel[((o * 3 + ch) * p + ky) * p + kx];
              }
            }
          }
          x[token][o] = (float) sum + pos[token * width + o];
        }
      }
    }
    for (int s = 0; s < x.length; s++) {
      x[s] = layerNorm(x[s], "vision_model.pre_layrnorm");
    }
    for (int l = 0; l < v.layers(); l++) {
      x = block("vision_model.encoder.layers." + l + ".", x, v.heads(), false);
    }
    float[] pooled = layerNorm(x[0], "vision_model.post_layernorm");
    return linear(pooled, w("visual_projection.weight"), null, config.embedDim());
  }

  /**
   * {@code text_embeds} of a SigLIP ({@code SiglipModel.get_text_features} without attention mask):
   * the real tokens ({@code mask = 1}) padded with the pad id to {@code contextLength}, token +
   * position embeddings, unmasked pre-LN blocks, {@code final_layer_norm} at the last position,
   * {@code text_model.head}.
   */
  float[] siglipText(long[] ids, long[] mask) {
    ClipConfig.TextTower t = config.text();
    int width = t.width();
    long[] full = new long[t.contextLength()];
    java.util.Arrays.fill(full, config.siglip().padId());
    for (int s = 0; s < ids.length; s++) {
      if (mask[s] == 1) {
        full[s] = ids[s];
      }
    }
    float[] tok = w("text_model.embeddings.token_embedding.weight");
    float[] pos = w("text_model.embeddings.position_embedding.weight");
    float[][] x = new float[full.length][width];
    for (int s = 0; s < full.length; s++) {
      for (int c = 0; c < width; c++) {
        x[s][c] = tok[(int) full[s] * width + c] + pos[s * width + c];
      }
    }
    for (int l = 0; l < t.layers(); l++) {
      x = block("text_model.encoder.layers." + l + ".", x, t.heads(), false);
    }
    float[] pooled = layerNorm(x[x.length - 1], "text_model.final_layer_norm");
    return proj(pooled, "text_model.head", width);
  }

  /**
   * {@code image_embeds} of a SigLIP ({@code SiglipModel.get_image_features}), {@code pixels} in
   * CHW order: biased patch convolution + position embeddings, blocks, {@code post_layernorm}, then
   * the attention pooling head (probe attending over all patches through {@code
   * nn.MultiheadAttention}, {@code h + mlp(layernorm(h))}).
   */
  float[] siglipImage(float[] pixels) {
    ClipConfig.ImageTower v = config.image();
    int size = v.imageSize();
    int p = v.patchSize();
    int grid = v.gridSize();
    int width = v.width();
    float[] kernel = w("vision_model.embeddings.patch_embedding.weight");
    float[] kbias = w("vision_model.embeddings.patch_embedding.bias");
    float[] pos = w("vision_model.embeddings.position_embedding.weight");
    float[][] x = new float[grid * grid][width];
    for (int gy = 0; gy < grid; gy++) {
      for (int gx = 0; gx < grid; gx++) {
        int token = gy * grid + gx;
        for (int o = 0; o < width; o++) {
          double sum = kbias[o];
          for (int ch = 0; ch < 3; ch++) {
            for (int ky = 0; ky < p; ky++) {
              for (int kx = 0; kx < p; kx++) {
                float pixel = pixels[(ch * size + gy * p + ky) * size + gx * p + kx];
                sum += pixel * kernel[((o * 3 + ch) * p + ky) * p + kx];
              }
            }
          }
          x[token][o] = (float) sum + pos[token * width + o];
        }
      }
    }
    for (int l = 0; l < v.layers(); l++) {
      x = block("vision_model.encoder.layers." + l + ".", x, v.heads(), false);
    }
    for (int s = 0; s < x.length; s++) {
      x[s] = layerNorm(x[s], "vision_model.post_layernorm");
    }
    // nn.MultiheadAttention(probe, x, x): in_proj_weight rows are q, k, v.
    String h = "vision_model.head.";
    float[] in = w(h + "attention.in_proj_weight");
    float[] inBias = w(h + "attention.in_proj_bias");
    int hd = width / v.heads();
    float[] q =
        linear(
            w(h + "probe"),
            java.util.Arrays.copyOfRange(in, 0, width * width),
            java.util.Arrays.copyOfRange(inBias, 0, width),
            width);
    float[][] k = new float[x.length][];
    float[][] val = new float[x.length][];
    for (int s = 0; s < x.length; s++) {
      k[s] =
          linear(
              x[s],
              java.util.Arrays.copyOfRange(in, width * width, 2 * width * width),
              java.util.Arrays.copyOfRange(inBias, width, 2 * width),
              width);
      val[s] =
          linear(
              x[s],
              java.util.Arrays.copyOfRange(in, 2 * width * width, 3 * width * width),
              java.util.Arrays.copyOfRange(inBias, 2 * width, 3 * width),
              width);
    }
    float[] ctx = new float[width];
    for (int head = 0; head < v.heads(); head++) {
      double[] scores = new double[x.length];
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < x.length; j++) {
        double dot = 0;
        for (int d = 0; d < hd; d++) {
          dot += (double) q[head * hd + d] * k[j][head * hd + d];
        }
        scores[j] = dot / Math.sqrt(hd);
        max = Math.max(max, scores[j]);
      }
      double denom = 0;
      for (int j = 0; j < x.length; j++) {
        scores[j] = Math.exp(scores[j] - max);
        denom += scores[j];
      }
      for (int d = 0; d < hd; d++) {
        double acc = 0;
        for (int j = 0; j < x.length; j++) {
          acc += scores[j] / denom * val[j][head * hd + d];
        }
        ctx[head * hd + d] = (float) acc;
      }
    }
    float[] attn = proj(ctx, h + "attention.out_proj", width);
    float[] m = proj(layerNorm(attn, h + "layernorm"), h + "mlp.fc1", 4 * width);
    for (int i = 0; i < m.length; i++) {
      m[i] = activation(m[i], config.activation());
    }
    m = proj(m, h + "mlp.fc2", width);
    for (int c = 0; c < width; c++) {
      m[c] += attn[c];
    }
    return m;
  }

  private float[][] block(String hf, float[][] x, int heads, boolean causal) {
    int seq = x.length;
    int width = x[0].length;
    float[][] h = new float[seq][];
    for (int s = 0; s < seq; s++) {
      h[s] = layerNorm(x[s], hf + "layer_norm1");
    }
    String a = hf + "self_attn.";
    float[][] ctxs = attention(h, a + "q_proj", a + "k_proj", a + "v_proj", heads, null, causal);
    float[][] out = new float[seq][];
    for (int s = 0; s < seq; s++) {
      float[] attn = proj(ctxs[s], hf + "self_attn.out_proj", width);
      float[] x1 = new float[width];
      for (int c = 0; c < width; c++) {
        x1[c] = x[s][c] + attn[c];
      }
      float[] h2 = layerNorm(x1, hf + "layer_norm2");
      float[] m = proj(h2, hf + "mlp.fc1", 4 * width);
      for (int i = 0; i < m.length; i++) {
        m[i] = activation(m[i], config.activation());
      }
      m = proj(m, hf + "mlp.fc2", width);
      for (int c = 0; c < width; c++) {
        x1[c] += m[c];
      }
      out[s] = x1;
    }
    return out;
  }

  /**
   * Attention context (before the output projection) of every position; keys with {@code keyMask[j]
   * = 0} are left out, and with {@code causal} those after the query too.
   */
  private float[][] attention(
      float[][] h, String qn, String kn, String vn, int heads, long[] keyMask, boolean causal) {
    int seq = h.length;
    int width = h[0].length;
    int hd = width / heads;
    float[][] q = new float[seq][];
    float[][] k = new float[seq][];
    float[][] v = new float[seq][];
    for (int s = 0; s < seq; s++) {
      q[s] = proj(h[s], qn, width);
      k[s] = proj(h[s], kn, width);
      v[s] = proj(h[s], vn, width);
    }
    double scale = Math.pow(hd, -0.5);
    float[][] out = new float[seq][];
    for (int s = 0; s < seq; s++) {
      float[] ctx = new float[width];
      for (int head = 0; head < heads; head++) {
        int last = causal ? s : seq - 1;
        double[] scores = new double[last + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= last; j++) {
          if (keyMask != null && keyMask[j] == 0) {
            scores[j] = Double.NEGATIVE_INFINITY;
            continue;
          }
          double dot = 0;
          for (int d = 0; d < hd; d++) {
            dot += (double) q[s][head * hd + d] * k[j][head * hd + d];
          }
          scores[j] = dot * scale;
          max = Math.max(max, scores[j]);
        }
        double denom = 0;
        for (int j = 0; j <= last; j++) {
          scores[j] = Math.exp(scores[j] - max);
          denom += scores[j];
        }
        for (int d = 0; d < hd; d++) {
          double acc = 0;
          for (int j = 0; j <= last; j++) {
            acc += scores[j] / denom * v[j][head * hd + d];
          }
          ctx[head * hd + d] = (float) acc;
        }
      }
      out[s] = ctx;
    }
    return out;
  }

  private static float activation(float x, ClipConfig.Activation act) {
    return switch (act) {
      case QUICK_GELU -> (float) (x / (1 + Math.exp(-1.702 * x)));
      case GELU -> (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
      case GELU_TANH ->
          (float) (0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
    };
  }

  /** erf to about 1e-13: Taylor series below 3, the erfc continued fraction above. */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 3) {
      double sum = 0;
      double term = ax;
      for (int n = 0; n < 100; n++) {
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17) {
          break;
        }
        term *= -ax * ax / (n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = ax;
      for (int n = 60; n >= 1; n--) {
        f = ax + (n / 2.0) / f;
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
    }
    return Math.signum(x) * r;
  }

  private float[] proj(float[] x, String hf, int out) {
    return linear(x, w(hf + ".weight"), w(hf + ".bias"), out);
  }

  private static float[] linear(float[] x, float[] weight, float[] bias, int out) {
    int in = x.length;
    float[] y = new float[out];
    for (int o = 0; o < out; o++) {
      double acc = bias == null ? 0 : bias[o];
      for (int i = 0; i < in; i++) {
        acc += (double) x[i] * weight[o * in + i];
      }
      y[o] = (float) acc;
    }
    return y;
  }

  private float[] layerNorm(float[] x, String hf) {
    return layerNorm(x, hf, config.layerNormEps());
  }

  private float[] layerNorm(float[] x, String hf, float eps) {
    float[] gamma = w(hf + ".weight");
    float[] beta = w(hf + ".bias");
    double mean = 0;
    for (float f : x) {
      mean += f;
    }
    mean /= x.length;
    double var = 0;
    for (float f : x) {
      var += (f - mean) * (f - mean);
    }
    var /= x.length;
    double inv = 1 / Math.sqrt(var + eps);
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) ((x[i] - mean) * inv * gamma[i] + beta[i]);
    }
    return y;
  }

  private float[] w(String name) {
    return weights.get(name).data();
  }
}
