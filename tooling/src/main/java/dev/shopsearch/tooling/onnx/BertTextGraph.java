package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.shopsearch.core.bundle.HfClipLayout;
import java.util.Arrays;

/**
 * The text tower of a Chinese-CLIP ({@link ClipConfig#bertText()}) as an ONNX graph, in the same
 * {@link HfClipLayout} contract as CLIP's: inputs {@code input_ids} and {@code attention_mask}
 * (int64 {@code [batch, seq]}, dynamic, {@code seq <= contextLength}), output {@code text_embeds}
 * float {@code [batch, embedDim]}, not normalised.
 *
 * <p>The graph is Hugging Face {@code ChineseCLIPModel.get_text_features} with {@code
 * token_type_ids} all zero: word + position + token-type-0 embeddings, the embedding layer norm,
 * post-LN BERT layers ({@code LN(x + attn(x))}, then {@code LN(x + mlp(x))}) whose attention adds
 * {@code -1e9} at padded keys ({@code attention_mask = 0}), the last hidden state of token 0
 * ({@code [CLS]}) and the bias-free {@code text_projection}. Right padding does not change a
 * sequence's embedding (padded keys get zero attention weight; padded queries are never pooled).
 */
final class BertTextGraph {
  private static final float MASKED = -1e9f;

  private BertTextGraph() {}

  static byte[] write(ClipConfig config, ClipWeights weights, String docString) {
    if (!config.bertText()) {
      throw new IllegalArgumentException("not a BERT text tower: " + config);
    }
    ClipConfig.TextTower t = config.text();
    float eps = config.textLayerNormEps();
    TransformerGraph w = new TransformerGraph(new OnnxGraphBuilder("bert_text"), weights, config);
    OnnxGraphBuilder g = w.g;
    g.input(HfClipLayout.INPUT_IDS, DataType.INT64, "batch", "sequence");
    g.input(HfClipLayout.ATTENTION_MASK, DataType.INT64, "batch", "sequence");

    String e = "text_model.embeddings.";
    String words =
        g.node(
            "Gather",
            "text/word_embeds",
            new String[] {w.weight(e + "word_embeddings.weight"), HfClipLayout.INPUT_IDS},
            "axis",
            0L);
    String zero = g.int64Vector("const/zero", 0);
    String one = g.int64Vector("const/one", 1);
    String two = g.int64Vector("const/two", 2);
    String shape = g.node("Shape", "text/ids_shape", new String[] {HfClipLayout.INPUT_IDS});
    String seqLen = g.node("Slice", "text/seq_len", new String[] {shape, one, two, zero});
    String positions =
        g.node(
            "Slice",
            "text/position_embeds",
            new String[] {w.weight(e + "position_embeddings.weight"), zero, seqLen, zero});
    float[] types = weights.get(e + "token_type_embeddings.weight").data();
    String type0 =
        g.floats(e + "token_type_embeddings.row0", Arrays.copyOf(types, t.width()), t.width());
    String x = g.node("Add", "text/word_plus_type", new String[] {words, type0});
    x = g.node("Add", "text/embeddings_sum", new String[] {x, positions});
    x = w.layerNorm("text/embeddings", x, e + "LayerNorm", eps);

    // Additive key mask [batch, 1, 1, seq]: (mask - 1) * 1e9 is 0 for real tokens, -1e9 for
    // padding.
    String maskF =
        g.node(
            "Cast",
            "text/mask_float",
            new String[] {HfClipLayout.ATTENTION_MASK},
            "to",
            (long) DataType.FLOAT_VALUE);
    String off =
        g.node("Sub", "text/mask_minus1", new String[] {maskF, g.scalar("const/one_f", 1f)});
    String add = g.node("Mul", "text/mask_add", new String[] {off, g.scalar("const/big", -MASKED)});
    String mask =
        g.node(
            "Unsqueeze", "text/mask_4d", new String[] {add, g.int64Vector("const/axes12", 1, 2)});

    for (int i = 0; i < t.layers(); i++) {
      String hf = "text_model.encoder.layer." + i + ".";
      String n = "text/layer." + i + "/";
      String s = hf + "attention.self.";
      String attn =
          w.attention(
              n + "attn/",
              x,
              new String[] {s + "query", s + "key", s + "value"},
              hf + "attention.output.dense",
              t.width(),
              t.heads(),
              mask);
      x = g.node("Add", n + "residual1", new String[] {x, attn});
      x = w.layerNorm(n + "attention_layer_norm", x, hf + "attention.output.LayerNorm", eps);
      String h = w.linear(n + "mlp/intermediate", x, hf + "intermediate.dense");
      h = w.activation(n + "mlp/act", h, config.textActivation());
      h = w.linear(n + "mlp/output", h, hf + "output.dense");
      x = g.node("Add", n + "residual2", new String[] {x, h});
      x = w.layerNorm(n + "output_layer_norm", x, hf + "output.LayerNorm", eps);
    }

    String cls =
        g.node(
            "Gather",
            "text/pooled_cls",
            new String[] {x, g.longs("text/const/cls_index", new long[] {0})},
            "axis",
            1L);
    g.node(
        "MatMul",
        HfClipLayout.TEXT_EMBEDS,
        new String[] {cls, w.transposed("text_projection.weight")});
    g.output(HfClipLayout.TEXT_EMBEDS, DataType.FLOAT, "batch", config.embedDim());
    return g.build("shopsearch-clip-graph-writer", docString);
  }
}
