package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A small builder for ONNX graphs on the {@code ai.onnx.proto.OnnxMl} protobuf classes (shipped by
 * tribuo-util-onnx). It writes opset {@value #OPSET} (ir_version {@value #IR_VERSION}), which has
 * {@code LayerNormalization} but not {@code Gelu}.
 *
 * <p>Every node gets the explicit name the caller passes; by convention its single output carries
 * the same name, so the graph reads like the code that built it. Names must be unique: a duplicate
 * node or value name is an error. Weights are stored as little-endian {@code raw_data}
 * initializers. Not thread-safe; build one graph per instance.
 */
final class OnnxGraphBuilder {
  /** The default-domain opset version written. */
  static final int OPSET = 17;

  /** ONNX IR version matching {@link #OPSET}. */
  static final int IR_VERSION = 8;

  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> values = new HashSet<>();
  private final Set<String> nodes = new HashSet<>();

  OnnxGraphBuilder(String graphName) {
    graph.setName(graphName);
  }

  /**
   * Declares a graph input. Dimensions given as {@code String} are symbolic (dynamic), {@code
   * Integer} ones fixed.
   */
  void input(String name, TensorProto.DataType type, Object... dims) {
    claimValue(name);
    graph.addInput(valueInfo(name, type, dims));
  }

  /** Declares a graph output; {@code name} must be produced by a node. */
  void output(String name, TensorProto.DataType type, Object... dims) {
    if (!values.contains(name)) {
      throw new IllegalStateException("graph output '" + name + "' is not produced by any node");
    }
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** Adds a float initializer of the given shape (row-major data). Returns its name. */
  String floats(String name, float[] data, long... shape) {
    checkCount(name, data.length, shape);
    ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return initializer(name, TensorProto.DataType.FLOAT, buf.array(), shape);
  }

  /** Adds an int64 initializer of the given shape. Returns its name. */
  String longs(String name, long[] data, long... shape) {
    checkCount(name, data.length, shape);
    ByteBuffer buf = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asLongBuffer().put(data);
    return initializer(name, TensorProto.DataType.INT64, buf.array(), shape);
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds). */
  String int64Vector(String name, long... data) {
    return longs(name, data, data.length);
  }

  /** A float scalar constant. */
  String scalar(String name, float value) {
    return floats(name, new float[] {value}, new long[0]);
  }

  /**
   * Adds a node with one output named like the node.
   *
   * @param attributes alternating attribute name and value ({@code Integer}/{@code Long}, {@code
   *     Float}, {@code long[]}, {@code String})
   * @return the output name ({@code name})
   */
  String node(String op, String name, String[] inputs, Object... attributes) {
    return node(op, name, inputs, new String[] {name}, attributes)[0];
  }

  /** Adds a node with several outputs; returns {@code outputs}. */
  String[] node(String op, String name, String[] inputs, String[] outputs, Object... attributes) {
    if (!nodes.add(name)) {
      throw new IllegalStateException("duplicate ONNX node name '" + name + "'");
    }
    for (String in : inputs) {
      if (!in.isEmpty() && !values.contains(in)) {
        throw new IllegalStateException(
            String.format(Locale.ROOT, "node '%s' (%s) reads unknown value '%s'", name, op, in));
      }
    }
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name).setDomain("");
    for (String in : inputs) {
      node.addInput(in);
    }
    for (String out : outputs) {
      claimValue(out);
      node.addOutput(out);
    }
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must be name/value pairs at node " + name);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      node.addAttribute(attribute((String) attributes[i], attributes[i + 1]));
    }
    graph.addNode(node);
    return outputs;
  }

  /** Serialises the model. */
  byte[] build(String producer, String docString) {
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName(producer)
            .setProducerVersion("1")
            .setDocString(docString)
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph)
            .build();
    long size = model.getSerializedSize();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "ONNX model is " + size + " bytes; a protobuf message is limited to 2 GB");
    }
    return model.toByteArray();
  }

  private String initializer(String name, TensorProto.DataType type, byte[] raw, long[] shape) {
    claimValue(name);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(type.getNumber())
            .setRawData(UnsafeByteOperations.unsafeWrap(raw));
    for (long d : shape) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  private void claimValue(String name) {
    if (!values.add(name)) {
      throw new IllegalStateException("duplicate ONNX value name '" + name + "'");
    }
  }

  private static void checkCount(String name, int count, long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    if (n != count) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "initializer '%s': shape needs %d values, got %d", name, n, count));
    }
  }

  private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object[] dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (d instanceof String s) {
        dim.setDimParam(s);
      } else {
        dim.setDimValue(((Number) d).longValue());
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor.Builder tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  private static AttributeProto attribute(String name, Object value) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    switch (value) {
      case Integer i -> a.setType(AttributeProto.AttributeType.INT).setI(i);
      case Long l -> a.setType(AttributeProto.AttributeType.INT).setI(l);
      case Float f -> a.setType(AttributeProto.AttributeType.FLOAT).setF(f);
      case long[] ls -> {
        a.setType(AttributeProto.AttributeType.INTS);
        for (long l : ls) {
          a.addInts(l);
        }
      }
      case String s ->
          a.setType(AttributeProto.AttributeType.STRING)
              .setS(com.google.protobuf.ByteString.copyFromUtf8(s));
      default ->
          throw new IllegalArgumentException(
              "unsupported attribute type for " + name + ": " + value.getClass());
    }
    return a.build();
  }
}
