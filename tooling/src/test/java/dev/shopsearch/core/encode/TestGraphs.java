package dev.shopsearch.core.encode;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.shopsearch.tooling.onnx.OnnxGraphBuilder;
import java.util.Random;

/**
 * Hand-built ONNX graphs with the shapes the encoders must handle (pooled, hidden-state, causal,
 * wrong types), written with {@link OnnxGraphBuilder}. Weights are seeded random; dims written as
 * strings are symbolic ({@code "batch"}).
 */
final class TestGraphs {
  private static final DataType INT64 = DataType.INT64;
  private static final DataType FLOAT = DataType.FLOAT;

  private final OnnxGraphBuilder g = new OnnxGraphBuilder("test");
  private final Random random;

  private TestGraphs(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Text tower pooling in-graph: {@code text_embeds = tanh(sum_t mask_t * E[ids_t]) W}. Padding
   * invariant because the mask zeroes padded positions.
   */
  static byte[] pooledText(int vocab, int width, int dim, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("input_ids", INT64, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    t.weight("E", vocab, width);
    t.weight("W", width, dim);
    g.node("Gather", "emb", new String[] {"E", "input_ids"});
    g.node("Cast", "maskf", new String[] {"attention_mask"}, "to", (long) DataType.FLOAT_VALUE);
    g.node("Unsqueeze", "masku", new String[] {"maskf", g.int64Vector("axis2", 2)});
    g.node("Mul", "masked", new String[] {"emb", "masku"});
    g.node(
        "ReduceSum", "summed", new String[] {"masked", g.int64Vector("axis1", 1)}, "keepdims", 0L);
    g.node("Tanh", "act", new String[] {"summed"});
    g.node("MatMul", "text_embeds", new String[] {"act", "W"});
    g.output("text_embeds", FLOAT, "batch", dim);
    return t.build();
  }

  /**
   * Causal text tower: {@code last_hidden_state[b, t] = tanh(sum_{u <= t} E[ids_u])}, so position t
   * sees only tokens up to t (like CLIP's causal mask). Only input is {@code input_ids}.
   */
  static byte[] causalHiddenText(int vocab, int width, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("input_ids", INT64, "batch", "seq");
    t.weight("E", vocab, width);
    g.node("Gather", "emb", new String[] {"E", "input_ids"});
    g.node("CumSum", "cum", new String[] {"emb", g.longs("axis1", new long[] {1})});
    g.node("Tanh", "last_hidden_state", new String[] {"cum"});
    g.output("last_hidden_state", FLOAT, "batch", "seq", width);
    return t.build();
  }

  /**
   * Non-causal text tower {@code last_hidden_state[b, t] = tanh(E[ids_t] + F[mask_t])}: each
   * position depends on its own token only, with {@code token_type_ids} added in.
   */
  static byte[] hiddenTextWithTypes(int vocab, int width, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("input_ids", INT64, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    g.input("token_type_ids", INT64, "batch", "seq");
    t.weight("E", vocab, width);
    t.weight("T", 2, width);
    g.node("Gather", "emb", new String[] {"E", "input_ids"});
    g.node("Gather", "typ", new String[] {"T", "token_type_ids"});
    g.node("Add", "sum", new String[] {"emb", "typ"});
    g.node("Tanh", "last_hidden_state", new String[] {"sum"});
    g.output("last_hidden_state", FLOAT, "batch", "seq", width);
    return t.build();
  }

  /** Text tower whose {@code input_ids} are float (wrong type). */
  static byte[] floatIdsText(int dim, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("input_ids", FLOAT, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    t.weight("W", 1, dim);
    g.node("ReduceSum", "s", new String[] {"input_ids", g.int64Vector("axis1", 1)}, "keepdims", 1L);
    g.node("MatMul", "text_embeds", new String[] {"s", "W"});
    g.output("text_embeds", FLOAT, "batch", dim);
    return t.build();
  }

  /** Image tower: {@code image_embeds = flatten(pixel_values) W}. */
  static byte[] pooledImage(int size, int dim, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("pixel_values", FLOAT, "batch", 3, size, size);
    t.weight("W", 3 * size * size, dim);
    g.node("Flatten", "flat", new String[] {"pixel_values"}, "axis", 1L);
    g.node("MatMul", "image_embeds", new String[] {"flat", "W"});
    g.output("image_embeds", FLOAT, "batch", dim);
    return t.build();
  }

  /**
   * Image tower emitting patch states {@code [batch, 3*size*size/width, width]} = tanh of the
   * reshaped pixels times a seeded matrix; pooled with CLS (first patch) by the encoder.
   */
  static byte[] hiddenImage(int size, int width, long seed) {
    TestGraphs t = new TestGraphs(seed);
    OnnxGraphBuilder g = t.g;
    g.input("pixel_values", FLOAT, "batch", 3, size, size);
    t.weight("W", width, width);
    g.node(
        "Reshape", "patches", new String[] {"pixel_values", g.int64Vector("shape", 0, -1, width)});
    g.node("MatMul", "mixed", new String[] {"patches", "W"});
    g.node("Tanh", "last_hidden_state", new String[] {"mixed"});
    g.output("last_hidden_state", FLOAT, "batch", "patches", width);
    return t.build();
  }

  /** A seeded gaussian {@code [rows, cols]} weight scaled by {@code 1 / sqrt(rows)}. */
  private void weight(String name, int rows, int cols) {
    float[] w = new float[rows * cols];
    float scale = (float) (1.0 / Math.sqrt(rows));
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian() * scale;
    }
    g.floats(name, w, rows, cols);
  }

  private byte[] build() {
    return g.build("shopsearch-test", "encoder test graph");
  }
}
