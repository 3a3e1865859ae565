package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.shopsearch.core.bundle.HfClipLayout;
import java.util.Locale;

/**
 * Writes the two towers of a CLIP model ({@link ClipConfig} + {@link ClipWeights}) as standalone
 * ONNX graphs (opset {@value OnnxGraphBuilder#OPSET}) in the {@link HfClipLayout} layout.
 *
 * <h2>Text tower</h2>
 *
 * Inputs {@code input_ids} and {@code attention_mask}, both int64 {@code [batch, seq]} with dynamic
 * axes and {@code seq <= contextLength}; output {@code text_embeds} float {@code [batch,
 * embedDim]}. The graph computes token + position embeddings, pre-LN transformer blocks with a
 * causal mask, pools the hidden state at index {@code sum(attention_mask) - 1} (the end-of-text
 * token of a right-padded sequence; any tokenizer works because the pooled position does not depend
 * on token ids), applies the final layer norm and the text projection. Under the causal mask right
 * padding never reaches a real token, so padded and unpadded inputs give the same embedding.
 *
 * <h2>Image tower</h2>
 *
 * Input {@code pixel_values} float {@code [batch, 3, imageSize, imageSize]} (already normalised);
 * output {@code image_embeds} float {@code [batch, embedDim]}: patch convolution, class token,
 * position embeddings, {@code pre_layrnorm}, blocks, {@code post_layernorm} on the class token,
 * visual projection.
 *
 * <p>A Chinese-CLIP ({@link ClipConfig#bertText()}) has a BERT text tower with the same inputs and
 * output, pooled at the first token: see {@code BertTextGraph}. A SigLIP ({@link
 * ClipConfig#isSiglip()}) has its own towers in the same contract: see {@code SiglipGraph}.
 *
 * <p>Outputs are <em>not</em> L2-normalised; the encoders do that. Every node has an explicit name
 * ({@code text/layers.3/attn/scores}, ...). The query scale {@code headDim^-0.5} is folded into the
 * fused QKV projection weights. Stateless and thread-safe.
 */
public final class ClipGraphWriter {
  private static final float MASKED = -1e9f;

  private ClipGraphWriter() {}

  /** Serialises the text tower (CLIP's causal one, Chinese-CLIP's BERT one, or SigLIP's). */
  public static byte[] textTower(ClipConfig config, ClipWeights weights) {
    checkWeights(config, weights);
    if (config.bertText()) {
      return BertTextGraph.write(config, weights, describe("text", config));
    }
    if (config.isSiglip()) {
      return SiglipGraph.text(config, weights, describe("text", config));
    }
    ClipConfig.TextTower t = config.text();
    TransformerGraph w = new TransformerGraph(new OnnxGraphBuilder("clip_text"), weights, config);
    OnnxGraphBuilder g = w.g;
    g.input(HfClipLayout.INPUT_IDS, DataType.INT64, "batch", "sequence");
    g.input(HfClipLayout.ATTENTION_MASK, DataType.INT64, "batch", "sequence");

    String tokens =
        g.node(
            "Gather",
            "text/token_embeds",
            new String[] {w.weight("text_model.embeddings.token_embedding.weight"), "input_ids"},
            "axis",
            0L);
    String ids = g.node("Shape", "text/ids_shape", new String[] {"input_ids"});
    String zero = g.int64Vector("const/zero", 0);
    String one = g.int64Vector("const/one", 1);
    String two = g.int64Vector("const/two", 2);
    String seqLen = g.node("Slice", "text/seq_len", new String[] {ids, one, two, zero});
    String positions =
        g.node(
            "Slice",
            "text/position_embeds",
            new String[] {
              w.weight("text_model.embeddings.position_embedding.weight"), zero, seqLen, zero
            });
    String x = g.node("Add", "text/embeddings", new String[] {tokens, positions});

    String mask = causalMask(g, t.contextLength(), seqLen, zero);
    for (int i = 0; i < t.layers(); i++) {
      x =
          w.block(
              "text_model.encoder.layers." + i + ".",
              "text/layers." + i + "/",
              x,
              t.width(),
              t.heads(),
              mask);
    }

    // EOT pooling: hidden state at sum(attention_mask) - 1, then final LN and projection.
    String lengths =
        g.node("ReduceSum", "text/lengths", new String[] {"attention_mask", one}, "keepdims", 0L);
    String eot = g.node("Sub", "text/eot_index", new String[] {lengths, one});
    String eotIdx = g.node("Unsqueeze", "text/eot_index_2d", new String[] {eot, one});
    String pooled = g.node("GatherND", "text/pooled", new String[] {x, eotIdx}, "batch_dims", 1L);
    String normed = w.layerNorm("text/final_layer_norm", pooled, "text_model.final_layer_norm");
    g.node(
        "MatMul",
        HfClipLayout.TEXT_EMBEDS,
        new String[] {normed, w.transposed("text_projection.weight")});
    g.output(HfClipLayout.TEXT_EMBEDS, DataType.FLOAT, "batch", config.embedDim());
    return g.build("shopsearch-clip-graph-writer", describe("text", config));
  }

  /** Serialises the image tower. */
  public static byte[] imageTower(ClipConfig config, ClipWeights weights) {
    checkWeights(config, weights);
    if (config.isSiglip()) {
      return SiglipGraph.image(config, weights, describe("image", config));
    }
    ClipConfig.ImageTower v = config.image();
    TransformerGraph w = new TransformerGraph(new OnnxGraphBuilder("clip_image"), weights, config);
    OnnxGraphBuilder g = w.g;
    int size = v.imageSize();
    g.input(HfClipLayout.PIXEL_VALUES, DataType.FLOAT, "batch", 3, size, size);

    long p = v.patchSize();
    String conv =
        g.node(
            "Conv",
            "vision/patch_embedding",
            new String[] {
              "pixel_values", w.weight("vision_model.embeddings.patch_embedding.weight")
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

    String zero = g.int64Vector("const/zero", 0);
    String one = g.int64Vector("const/one", 1);
    String shape = g.node("Shape", "vision/pixel_shape", new String[] {"pixel_values"});
    String batch = g.node("Slice", "vision/batch", new String[] {shape, zero, one, zero});
    String clsShape =
        g.node(
            "Concat",
            "vision/cls_shape",
            new String[] {batch, g.int64Vector("vision/const/cls_tail", 1, v.width())},
            "axis",
            0L);
    String cls =
        g.node(
            "Expand",
            "vision/cls_token",
            new String[] {
              g.floats(
                  "vision_model.embeddings.class_embedding",
                  weights.get("vision_model.embeddings.class_embedding").data(),
                  1,
                  1,
                  v.width()),
              clsShape
            });
    String tokens = g.node("Concat", "vision/tokens", new String[] {cls, patches}, "axis", 1L);
    String x =
        g.node(
            "Add",
            "vision/embeddings",
            new String[] {tokens, w.weight("vision_model.embeddings.position_embedding.weight")});
    x = w.layerNorm("vision/pre_layrnorm", x, "vision_model.pre_layrnorm");
    for (int i = 0; i < v.layers(); i++) {
      x =
          w.block(
              "vision_model.encoder.layers." + i + ".",
              "vision/layers." + i + "/",
              x,
              v.width(),
              v.heads(),
              null);
    }
    String clsOut =
        g.node(
            "Gather",
            "vision/pooled",
            new String[] {x, g.longs("vision/const/cls_index", new long[] {0})},
            "axis",
            1L);
    String normed = w.layerNorm("vision/post_layernorm", clsOut, "vision_model.post_layernorm");
    g.node(
        "MatMul",
        HfClipLayout.IMAGE_EMBEDS,
        new String[] {normed, w.transposed("visual_projection.weight")});
    g.output(HfClipLayout.IMAGE_EMBEDS, DataType.FLOAT, "batch", config.embedDim());
    return g.build("shopsearch-clip-graph-writer", describe("image", config));
  }

  /** Additive causal mask {@code [seq, seq]}: 0 on and below the diagonal, -1e9 above. */
  private static String causalMask(OnnxGraphBuilder g, int context, String seqLen, String zero) {
    float[] full = new float[context * context];
    for (int i = 0; i < context; i++) {
      for (int j = i + 1; j < context; j++) {
        full[i * context + j] = MASKED;
      }
    }
    String all = g.floats("text/const/causal_mask_full", full, context, context);
    String ends = g.node("Concat", "text/mask_ends", new String[] {seqLen, seqLen}, "axis", 0L);
    String starts = g.int64Vector("text/const/mask_starts", 0, 0);
    String axes = g.int64Vector("text/const/mask_axes", 0, 1);
    return g.node("Slice", "text/causal_mask", new String[] {all, starts, ends, axes});
  }

  private static void checkWeights(ClipConfig config, ClipWeights weights) {
    if (!weights.config().equals(config)) {
      throw new IllegalArgumentException(
          "weights were made for " + weights.config() + ", not for " + config);
    }
  }

  private static String describe(String tower, ClipConfig c) {
    return String.format(Locale.ROOT, "CLIP %s tower written by shopsearch: %s", tower, c);
  }
}
