package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.shopsearch.core.bundle.HfClipLayout;
import java.util.Arrays;

/**
 * The two towers of a SigLIP ({@link ClipConfig#isSiglip()}) as ONNX graphs in the same {@link
 * HfClipLayout} contract as CLIP's; outputs are not normalised.
 *
 * <h2>Text tower</h2>
 *
 * Inputs {@code input_ids} and {@code attention_mask} (int64 {@code [batch, seq]}, dynamic, {@code
 * seq <= contextLength}); output {@code text_embeds} float {@code [batch, embedDim]}. SigLIP was
 * trained on ids padded to {@code contextLength} with {@link ClipConfig.Siglip#padId()}, no
 * attention mask and pooling at the last position ({@code SiglipTextModel} with the tokenizer's
 * {@code padding="max_length"}). The graph does that padding itself, so any right-padded batch
 * works: positions with {@code attention_mask = 0} get the pad id, the sequence is padded to {@code
 * contextLength} with it, then token + position embeddings, pre-LN blocks without a mask, {@code
 * final_layer_norm}, the last position, {@code text_model.head}. A sequence's embedding therefore
 * does not depend on how much the batch padded it.
 *
 * <h2>Image tower</h2>
 *
 * Input {@code pixel_values} float {@code [batch, 3, imageSize, imageSize]}; output {@code
 * image_embeds} float {@code [batch, embedDim]}: biased patch convolution, position embeddings (no
 * class token, no pre-LN), blocks, {@code post_layernorm}, then {@code
 * SiglipMultiheadAttentionPoolingHead}: one learned query ({@code probe}, projected and scaled at
 * export since it is a constant) attends over all patches through {@code
 * torch.nn.MultiheadAttention} ({@code in_proj_weight} split into q, k, v; {@code out_proj}), then
 * {@code h + mlp(layernorm(h))}.
 */
final class SiglipGraph {
  private SiglipGraph() {}

  static byte[] text(ClipConfig config, ClipWeights weights, String docString) {
    requireSiglip(config);
    ClipConfig.TextTower t = config.text();
    TransformerGraph w = new TransformerGraph(new OnnxGraphBuilder("siglip_text"), weights, config);
    OnnxGraphBuilder g = w.g;
    g.input(HfClipLayout.INPUT_IDS, DataType.INT64, "batch", "sequence");
    g.input(HfClipLayout.ATTENTION_MASK, DataType.INT64, "batch", "sequence");

    // ids * mask + pad * (1 - mask): masked positions carry the pad id.
    long pad = config.siglip().padId();
    String one = g.int64Vector("const/one", 1);
    String two = g.int64Vector("const/two", 2);
    String zero = g.int64Vector("const/zero", 0);
    String kept =
        g.node(
            "Mul",
            "text/ids_kept",
            new String[] {HfClipLayout.INPUT_IDS, HfClipLayout.ATTENTION_MASK});
    String dropped =
        g.node(
            "Sub",
            "text/mask_inverse",
            new String[] {g.longs("const/one_i", new long[] {1}), HfClipLayout.ATTENTION_MASK});
    String padded =
        g.node(
            "Mul",
            "text/pad_fill",
            new String[] {dropped, g.longs("text/const/pad_id", new long[] {pad})});
    String ids = g.node("Add", "text/ids_masked", new String[] {kept, padded});

    // Pad on the right to contextLength: pads = [0, 0, 0, contextLength - seq].
    String shape = g.node("Shape", "text/ids_shape", new String[] {HfClipLayout.INPUT_IDS});
    String seqLen = g.node("Slice", "text/seq_len", new String[] {shape, one, two, zero});
    String missing =
        g.node(
            "Sub",
            "text/pad_count",
            new String[] {g.int64Vector("text/const/context", t.contextLength()), seqLen});
    String pads =
        g.node(
            "Concat",
            "text/pads",
            new String[] {g.int64Vector("text/const/pads_head", 0, 0, 0), missing},
            "axis",
            0L);
    ids =
        g.node(
            "Pad",
            "text/ids_full",
            new String[] {ids, pads, g.longs("text/const/pad_value", new long[] {pad})});

    String tokens =
        g.node(
            "Gather",
            "text/token_embeds",
            new String[] {w.weight("text_model.embeddings.token_embedding.weight"), ids},
            "axis",
            0L);
    String x =
        g.node(
            "Add",
            "text/embeddings",
            new String[] {tokens, w.weight("text_model.embeddings.position_embedding.weight")});
    for (int i = 0; i < t.layers(); i++) {
      x =
          w.block(
              "text_model.encoder.layers." + i + ".",
              "text/layers." + i + "/",
              x,
              t.width(),
              t.heads(),
              null);
    }
    String last =
        g.node(
            "Gather",
            "text/pooled_last",
            new String[] {x, g.longs("text/const/last_index", new long[] {t.contextLength() - 1})},
            "axis",
            1L);
    String normed = w.layerNorm("text/final_layer_norm", last, "text_model.final_layer_norm");
    String head = w.linear("text/head", normed, "text_model.head");
    g.node("Identity", HfClipLayout.TEXT_EMBEDS, new String[] {head});
    g.output(HfClipLayout.TEXT_EMBEDS, DataType.FLOAT, "batch", config.embedDim());
    return g.build("shopsearch-clip-graph-writer", docString);
  }

  static byte[] image(ClipConfig config, ClipWeights weights, String docString) {
    requireSiglip(config);
    ClipConfig.ImageTower v = config.image();
    int width = v.width();
    TransformerGraph w =
        new TransformerGraph(new OnnxGraphBuilder("siglip_image"), weights, config);
    OnnxGraphBuilder g = w.g;
    int size = v.imageSize();
    g.input(HfClipLayout.PIXEL_VALUES, DataType.FLOAT, "batch", 3, size, size);

    String e = "vision_model.embeddings.";
    long p = v.patchSize();
    String conv =
        g.node(
            "Conv",
            "vision/patch_embedding",
            new String[] {
              HfClipLayout.PIXEL_VALUES,
              w.weight(e + "patch_embedding.weight"),
              w.weight(e + "patch_embedding.bias")
            },
            "kernel_shape",
            new long[] {p, p},
            "strides",
            new long[] {p, p});
    String flat =
        g.node(
            "Reshape",
            "vision/patches_flat",
            new String[] {conv, g.int64Vector("vision/const/flat_shape", 0, 0, -1)});
    String patches =
        g.node("Transpose", "vision/patches", new String[] {flat}, "perm", new long[] {0, 2, 1});
    String x =
        g.node(
            "Add",
            "vision/embeddings",
            new String[] {patches, w.weight(e + "position_embedding.weight")});
    for (int i = 0; i < v.layers(); i++) {
      x =
          w.block(
              "vision_model.encoder.layers." + i + ".",
              "vision/layers." + i + "/",
              x,
              width,
              v.heads(),
              null);
    }
    x = w.layerNorm("vision/post_layernorm", x, "vision_model.post_layernorm");
    String pooled = attentionPool(w, weights, x, width, v.heads(), config.activation());
    g.node("Identity", HfClipLayout.IMAGE_EMBEDS, new String[] {pooled});
    g.output(HfClipLayout.IMAGE_EMBEDS, DataType.FLOAT, "batch", config.embedDim());
    return g.build("shopsearch-clip-graph-writer", docString);
  }

  /**
   * {@code SiglipMultiheadAttentionPoolingHead} on {@code x [batch, seq, width]}: {@code [batch,
   * width]}.
   */
  private static String attentionPool(
      TransformerGraph w,
      ClipWeights weights,
      String x,
      int width,
      int heads,
      ClipConfig.Activation act) {
    OnnxGraphBuilder g = w.g;
    String h = "vision_model.head.";
    String n = "vision/head/";
    int hd = width / heads;
    float[] in = weights.get(h + "attention.in_proj_weight").data();
    float[] inBias = weights.get(h + "attention.in_proj_bias").data();
    float[] probe = weights.get(h + "probe").data();

    // The probe's query is a constant: (probe Wq^T + bq) * hd^-0.5, as [1, heads, 1, hd].
    double scale = Math.pow(hd, -0.5);
    float[] q = new float[width];
    for (int o = 0; o < width; o++) {
      double acc = inBias[o];
      for (int i = 0; i < width; i++) {
        acc += (double) probe[i] * in[o * width + i];
      }
      q[o] = (float) (acc * scale);
    }
    String query = g.floats(h + "attention.probe_query", q, 1, heads, 1, hd);

    String headShape = g.int64Vector(n + "const/head_shape", 0, 0, heads, hd);
    String k = projectRows(g, in, inBias, 1, width, x, n + "k");
    String v = projectRows(g, in, inBias, 2, width, x, n + "v");
    k = g.node("Reshape", n + "k_heads", new String[] {k, headShape});
    k = g.node("Transpose", n + "k_heads_t", new String[] {k}, "perm", new long[] {0, 2, 3, 1});
    v = g.node("Reshape", n + "v_heads", new String[] {v, headShape});
    v = g.node("Transpose", n + "v_heads_t", new String[] {v}, "perm", new long[] {0, 2, 1, 3});
    String scores = g.node("MatMul", n + "scores", new String[] {query, k});
    String probs = g.node("Softmax", n + "probs", new String[] {scores}, "axis", -1L);
    String ctx = g.node("MatMul", n + "context_heads", new String[] {probs, v});
    ctx = g.node("Transpose", n + "context_t", new String[] {ctx}, "perm", new long[] {0, 2, 1, 3});
    ctx =
        g.node(
            "Reshape",
            n + "context",
            new String[] {ctx, g.int64Vector(n + "const/merge_shape", 0, 0, width)});
    String attn = w.linear(n + "out_proj", ctx, h + "attention.out_proj");
    String normed = w.layerNorm(n + "layernorm", attn, h + "layernorm");
    String m = w.linear(n + "mlp/fc1", normed, h + "mlp.fc1");
    m = w.activation(n + "mlp/act", m, act);
    m = w.linear(n + "mlp/fc2", m, h + "mlp.fc2");
    String out = g.node("Add", n + "residual", new String[] {attn, m});
    return g.node(
        "Gather",
        n + "pooled",
        new String[] {out, g.longs(n + "const/first", new long[] {0})},
        "axis",
        1L);
  }

  /**
   * {@code x W^T + b} with rows {@code [part * width, (part + 1) * width)} of a fused
   * in-projection.
   */
  private static String projectRows(
      OnnxGraphBuilder g, float[] in, float[] inBias, int part, int width, String x, String n) {
    float[] rows = Arrays.copyOfRange(in, part * width * width, (part + 1) * width * width);
    float[] bias = Arrays.copyOfRange(inBias, part * width, (part + 1) * width);
    String wt =
        g.floats(
            "vision_model.head.attention." + (part == 1 ? "k" : "v") + "_proj.weight_t",
            TransformerGraph.transpose(rows, width, width, 1f),
            width,
            width);
    String b =
        g.floats(
            "vision_model.head.attention." + (part == 1 ? "k" : "v") + "_proj.bias", bias, width);
    String mm = g.node("MatMul", n + "_matmul", new String[] {x, wt});
    return g.node("Add", n, new String[] {mm, b});
  }

  private static void requireSiglip(ClipConfig config) {
    if (!config.isSiglip()) {
      throw new IllegalArgumentException("not a SigLIP: " + config);
    }
  }
}
