package dev.shopsearch.core.encode;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hand-built ONNX graphs with the shapes the encoders must handle (pooled, hidden-state, causal,
 * wrong types). Weights are seeded random; dims written as strings are symbolic ({@code "batch"}).
 */
final class TestGraphs {
  static final int INT64 = TensorProto.DataType.INT64_VALUE;
  static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

  private final List<NodeProto> nodes = new ArrayList<>();
  private final List<ValueInfoProto> inputs = new ArrayList<>();
  private final List<ValueInfoProto> outputs = new ArrayList<>();
  private final List<TensorProto> initializers = new ArrayList<>();
  private final Random random;

  private TestGraphs(long seed) {
    this.random = new Random(seed);
  }

  /**
   * Text tower pooling in-graph: {@code text_embeds = tanh(sum_t mask_t * E[ids_t]) W}. Padding
   * invariant because the mask zeroes padded positions.
   */
  static byte[] pooledText(int vocab, int width, int dim, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("input_ids", INT64, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    g.output("text_embeds", FLOAT, "batch", dim);
    g.weight("E", vocab, width);
    g.weight("W", width, dim);
    g.longs("axis2", 2);
    g.longs("axis1", 1);
    g.node("Gather", List.of("E", "input_ids"), "emb");
    g.node("Cast", List.of("attention_mask"), "maskf", intAttr("to", FLOAT));
    g.node("Unsqueeze", List.of("maskf", "axis2"), "masku");
    g.node("Mul", List.of("emb", "masku"), "masked");
    g.node("ReduceSum", List.of("masked", "axis1"), "summed", intAttr("keepdims", 0));
    g.node("Tanh", List.of("summed"), "act");
    g.node("MatMul", List.of("act", "W"), "text_embeds");
    return g.build();
  }

  /**
   * Causal text tower: {@code last_hidden_state[b, t] = tanh(sum_{u <= t} E[ids_u])}, so position t
   * sees only tokens up to t (like CLIP's causal mask). Only input is {@code input_ids}.
   */
  static byte[] causalHiddenText(int vocab, int width, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("input_ids", INT64, "batch", "seq");
    g.output("last_hidden_state", FLOAT, "batch", "seq", width);
    g.weight("E", vocab, width);
    g.longScalar("axis1", 1);
    g.node("Gather", List.of("E", "input_ids"), "emb");
    g.node("CumSum", List.of("emb", "axis1"), "cum");
    g.node("Tanh", List.of("cum"), "last_hidden_state");
    return g.build();
  }

  /**
   * Non-causal text tower {@code last_hidden_state[b, t] = tanh(E[ids_t] + F[mask_t])}: each
   * position depends on its own token only, with {@code token_type_ids} added in.
   */
  static byte[] hiddenTextWithTypes(int vocab, int width, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("input_ids", INT64, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    g.input("token_type_ids", INT64, "batch", "seq");
    g.output("last_hidden_state", FLOAT, "batch", "seq", width);
    g.weight("E", vocab, width);
    g.weight("T", 2, width);
    g.node("Gather", List.of("E", "input_ids"), "emb");
    g.node("Gather", List.of("T", "token_type_ids"), "typ");
    g.node("Add", List.of("emb", "typ"), "sum");
    g.node("Tanh", List.of("sum"), "last_hidden_state");
    return g.build();
  }

  /** Text tower whose {@code input_ids} are float (wrong type). */
  static byte[] floatIdsText(int dim, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("input_ids", FLOAT, "batch", "seq");
    g.input("attention_mask", INT64, "batch", "seq");
    g.output("text_embeds", FLOAT, "batch", dim);
    g.weight("W", 1, dim);
    g.longs("axis1", 1);
    g.node("ReduceSum", List.of("input_ids", "axis1"), "s", intAttr("keepdims", 1));
    g.node("MatMul", List.of("s", "W"), "text_embeds");
    return g.build();
  }

  /** Image tower: {@code image_embeds = flatten(pixel_values) W}. */
  static byte[] pooledImage(int size, int dim, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("pixel_values", FLOAT, "batch", 3, size, size);
    g.output("image_embeds", FLOAT, "batch", dim);
    g.weight("W", 3 * size * size, dim);
    g.node("Flatten", List.of("pixel_values"), "flat", intAttr("axis", 1));
    g.node("MatMul", List.of("flat", "W"), "image_embeds");
    return g.build();
  }

  /**
   * Image tower emitting patch states {@code [batch, 3*size*size/width, width]} = tanh of the
   * reshaped pixels times a seeded matrix; pooled with CLS (first patch) by the encoder.
   */
  static byte[] hiddenImage(int size, int width, long seed) {
    TestGraphs g = new TestGraphs(seed);
    g.input("pixel_values", FLOAT, "batch", 3, size, size);
    g.output("last_hidden_state", FLOAT, "batch", "patches", width);
    g.weight("W", width, width);
    g.longs("shape", 0, -1, width);
    g.node("Reshape", List.of("pixel_values", "shape"), "patches");
    g.node("MatMul", List.of("patches", "W"), "mixed");
    g.node("Tanh", List.of("mixed"), "last_hidden_state");
    return g.build();
  }

  private void input(String name, int type, Object... dims) {
    inputs.add(valueInfo(name, type, dims));
  }

  private void output(String name, int type, Object... dims) {
    outputs.add(valueInfo(name, type, dims));
  }

  private void weight(String name, int rows, int cols) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(FLOAT).addDims(rows).addDims(cols);
    float scale = (float) (1.0 / Math.sqrt(rows));
    for (int i = 0; i < rows * cols; i++) {
      t.addFloatData((float) random.nextGaussian() * scale);
    }
    initializers.add(t.build());
  }

  private void longs(String name, long... values) {
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    initializers.add(t.build());
  }

  private void longScalar(String name, long value) {
    initializers.add(
        TensorProto.newBuilder().setName(name).setDataType(INT64).addInt64Data(value).build());
  }

  private void node(String op, List<String> in, String out, AttributeProto... attrs) {
    NodeProto.Builder n =
        NodeProto.newBuilder().setName(out + "_" + op).setOpType(op).addAllInput(in).addOutput(out);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    nodes.add(n.build());
  }

  private static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  private static ValueInfoProto valueInfo(String name, int type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof Integer i) {
        dim.setDimValue(i);
      } else {
        dim.setDimParam((String) d);
      }
      shape.addDim(dim);
    }
    TypeProto tp =
        TypeProto.newBuilder()
            .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))
            .build();
    return ValueInfoProto.newBuilder().setName(name).setType(tp).build();
  }

  private byte[] build() {
    GraphProto graph =
        GraphProto.newBuilder()
            .setName("test")
            .addAllNode(nodes)
            .addAllInput(inputs)
            .addAllOutput(outputs)
            .addAllInitializer(initializers)
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .setProducerName("shopsearch-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build()
        .toByteArray();
  }
}
