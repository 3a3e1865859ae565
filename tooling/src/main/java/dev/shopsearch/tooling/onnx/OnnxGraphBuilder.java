package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The project's one builder for ONNX graphs, on the {@code ai.onnx.proto.OnnxMl} protobuf classes
 * (shipped by tribuo-util-onnx). It either writes a new model ({@link #OnnxGraphBuilder(String)}:
 * opset {@value #OPSET}, ir_version {@value #IR_VERSION}, which has {@code LayerNormalization} but
 * not {@code Gelu}) or extends an existing one ({@link #edit(ModelProto)}: its opset, producer and
 * nodes are kept, and operators whose {@code axes} moved from attribute to input are written in the
 * form that opset expects, see {@link #axesNode}).
 *
 * <p>Every node gets the explicit name the caller passes; by convention its single output carries
 * the same name, so the graph reads like the code that built it. Names must be unique: a duplicate
 * node or value name is an error, and so is a node reading a value nothing produces. Floats are
 * stored as little-endian {@code raw_data} initializers, int64 constants as {@code int64_data}.
 * Nodes are written in the default domain. Not thread-safe; build one graph per instance.
 */
public final class OnnxGraphBuilder {
  /** The default-domain opset version of new models. */
  public static final int OPSET = 17;

  /** ONNX IR version matching {@link #OPSET}. */
  public static final int IR_VERSION = 8;

  /** The epsilon of {@link #l2Normalize}: {@code x / max(‖x‖₂, eps)}. */
  public static final float L2_EPS = 1e-12f;

  private final ModelProto base;
  private final long opset;
  private final GraphProto.Builder graph;
  private final Set<String> values = new HashSet<>();
  private final Set<String> nodes = new HashSet<>();

  /** A new, empty model graph named {@code graphName} at opset {@value #OPSET}. */
  public OnnxGraphBuilder(String graphName) {
    this.base = null;
    this.opset = OPSET;
    this.graph = GraphProto.newBuilder().setName(graphName);
  }

  private OnnxGraphBuilder(ModelProto model) {
    this.base = model;
    this.opset = opset(model);
    this.graph = model.getGraph().toBuilder();
    // Existing names may repeat (older exporters list initializers among the inputs): no checks.
    graph.getInputList().forEach(v -> values.add(v.getName()));
    graph.getInitializerList().forEach(t -> values.add(t.getName()));
    for (NodeProto n : graph.getNodeList()) {
      values.addAll(n.getOutputList());
      if (!n.getName().isEmpty()) {
        nodes.add(n.getName());
      }
    }
  }

  /**
   * A builder that extends {@code model}: new nodes may read any of its inputs, initializers and
   * node outputs. Finish with {@link #buildPruned()}.
   *
   * @throws IllegalArgumentException if the model imports no default-domain opset
   */
  public static OnnxGraphBuilder edit(ModelProto model) {
    return new OnnxGraphBuilder(model);
  }

  /**
   * The model's default-domain opset version.
   *
   * @throws IllegalArgumentException if it imports none
   */
  public static long opset(ModelProto model) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        return id.getVersion();
      }
    }
    throw new IllegalArgumentException("model imports no default-domain opset");
  }

  /** The default-domain opset the graph is written for. */
  public long opset() {
    return opset;
  }

  /** The nodes so far, in graph order (read-only). */
  public List<NodeProto> nodes() {
    return Collections.unmodifiableList(graph.getNodeList());
  }

  /** The graph inputs (read-only). */
  public List<ValueInfoProto> inputs() {
    return Collections.unmodifiableList(graph.getInputList());
  }

  /** The initializers (read-only). */
  public List<TensorProto> initializers() {
    return Collections.unmodifiableList(graph.getInitializerList());
  }

  /**
   * Declares a graph input. Dimensions given as {@code String} are symbolic (dynamic), {@code
   * Integer} or {@code Long} ones fixed.
   */
  public void input(String name, TensorProto.DataType type, Object... dims) {
    claimValue(name);
    graph.addInput(valueInfo(name, type, dims));
  }

  /** Declares a graph output; {@code name} must be produced by a node. */
  public void output(String name, TensorProto.DataType type, Object... dims) {
    if (!values.contains(name)) {
      throw new IllegalStateException("graph output '" + name + "' is not produced by any node");
    }
    graph.addOutput(valueInfo(name, type, dims));
  }

  /**
   * Makes {@code name} the only graph output (replacing the model's outputs), as {@link #output}.
   */
  public void onlyOutput(String name, TensorProto.DataType type, Object... dims) {
    graph.clearOutput();
    output(name, type, dims);
  }

  /** Renames graph input {@code from} to {@code to}, in the input list and in every node. */
  public void renameInput(String from, String to) {
    if (from.equals(to)) {
      return;
    }
    int index = -1;
    for (int i = 0; i < graph.getInputCount(); i++) {
      if (graph.getInput(i).getName().equals(from)) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException("the graph has no input '" + from + "'");
    }
    claimValue(to);
    graph.setInput(index, graph.getInput(index).toBuilder().setName(to));
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeProto n = graph.getNode(i);
      if (n.getInputList().contains(from)) {
        NodeProto.Builder b = n.toBuilder().clearInput();
        n.getInputList().forEach(in -> b.addInput(in.equals(from) ? to : in));
        graph.setNode(i, b);
      }
    }
    values.remove(from);
  }

  /** Adds a float initializer of the given shape (row-major data). Returns its name. */
  public String floats(String name, float[] data, long... shape) {
    checkCount(name, data.length, shape);
    claimValue(name);
    graph.addInitializer(floatTensor(name, data, shape));
    return name;
  }

  /** Adds an int64 initializer of the given shape. Returns its name. */
  public String longs(String name, long[] data, long... shape) {
    checkCount(name, data.length, shape);
    claimValue(name);
    TensorProto.Builder t =
        TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE);
    for (long d : shape) {
      t.addDims(d);
    }
    for (long v : data) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /** A 1-D int64 constant (shapes, axes, slice bounds). */
  public String int64Vector(String name, long... data) {
    return longs(name, data, data.length);
  }

  /** A float scalar (rank 0) constant. */
  public String scalar(String name, float value) {
    return floats(name, new float[] {value});
  }

  /**
   * Adds a node with one output named like the node.
   *
   * @param attributes alternating attribute name and value ({@code Integer}/{@code Long}, {@code
   *     Float}, {@code long[]}, {@code String})
   * @return the output name ({@code name})
   */
  public String node(String op, String name, String[] inputs, Object... attributes) {
    return nodeWithOutput(op, name, name, inputs, attributes);
  }

  /**
   * Adds a node whose one output is named {@code output} (a distinct method, not an overload, so
   * that an output name is never taken for an attribute).
   *
   * @return {@code output}
   */
  public String nodeWithOutput(
      String op, String name, String output, String[] inputs, Object... attributes) {
    return nodeWithOutputs(op, name, new String[] {output}, inputs, attributes)[0];
  }

  /** Adds a node with several outputs (e.g. {@code Split}); returns {@code outputs}. */
  public String[] nodeWithOutputs(
      String op, String name, String[] outputs, String[] inputs, Object... attributes) {
    if (!nodes.add(name)) {
      throw new IllegalStateException("duplicate ONNX node name '" + name + "'");
    }
    for (String in : inputs) {
      if (!in.isEmpty() && !values.contains(in)) {
        throw new IllegalStateException(
            String.format(Locale.ROOT, "node '%s' (%s) reads unknown value '%s'", name, op, in));
      }
    }
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes must be name/value pairs at node " + name);
    }
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(name);
    for (String in : inputs) {
      node.addInput(in);
    }
    for (String out : outputs) {
      claimValue(out);
      node.addOutput(out);
    }
    for (int i = 0; i < attributes.length; i += 2) {
      if (!(attributes[i] instanceof String attributeName)) {
        throw new IllegalArgumentException(
            "attribute name expected at position " + i + " of node " + name + ": " + attributes[i]);
      }
      node.addAttribute(attribute(attributeName, attributes[i + 1]));
    }
    graph.addNode(node);
    return outputs;
  }

  /**
   * A node over one axis of {@code x} ({@code ReduceSum}, {@code ReduceL2}, {@code Unsqueeze}, ...)
   * whose {@code axes} became an input at opset {@code inputSince} (13 for {@code ReduceSum} and
   * {@code Unsqueeze}, 18 for the other reductions): written as an attribute below that opset, as
   * an int64 initializer {@code <name>_axes} from it on. The node and its output are both {@code
   * name}.
   *
   * @param keepdims the {@code keepdims} attribute, or null for none
   * @return {@code name}
   */
  public String axesNode(
      String op, int inputSince, String name, String x, long axis, Long keepdims) {
    List<Object> attributes = new ArrayList<>();
    String[] inputs;
    if (opset >= inputSince) {
      inputs = new String[] {x, longs(name + "_axes", new long[] {axis}, 1)};
    } else {
      inputs = new String[] {x};
      attributes.add("axes");
      attributes.add(new long[] {axis});
    }
    if (keepdims != null) {
      attributes.add("keepdims");
      attributes.add(keepdims);
    }
    return node(op, name, inputs, attributes.toArray());
  }

  /**
   * {@code out = x / max(‖x‖₂, eps)} over axis 1 ({@link #L2_EPS}): nodes {@code <x>_l2}, {@code
   * <x>_l2_safe} and {@code <x>_normalise}, constant {@code <x>_eps}.
   *
   * @return {@code out}
   */
  public String l2Normalize(String x, String out) {
    axesNode("ReduceL2", 18, x + "_l2", x, 1, 1L);
    scalar(x + "_eps", L2_EPS);
    node("Max", x + "_l2_safe", new String[] {x + "_l2", x + "_eps"});
    return nodeWithOutput("Div", x + "_normalise", out, new String[] {x, x + "_l2_safe"});
  }

  /** Serialises a new model (see {@link #OnnxGraphBuilder(String)}). */
  public byte[] build(String producer, String docString) {
    if (base != null) {
      throw new IllegalStateException("an edited model is finished with buildPruned()");
    }
    ModelProto model =
        ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName(producer)
            .setProducerVersion("1")
            .setDocString(docString)
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph)
            .build();
    long size = model.getSerializedSize();
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException(
          "ONNX model is " + size + " bytes; a protobuf message is limited to 2 GB");
    }
    return model.toByteArray();
  }

  /**
   * The edited model (see {@link #edit}) without the nodes, initializers and value infos that no
   * graph output depends on; everything outside the graph is the original model's.
   */
  public ModelProto buildPruned() {
    if (base == null) {
      throw new IllegalStateException("a new model is finished with build(producer, docString)");
    }
    return base.toBuilder().setGraph(prune(graph)).build();
  }

  /** A float tensor (row-major data, little-endian {@code raw_data}) of the given shape. */
  public static TensorProto floatTensor(String name, float[] data, long... shape) {
    ByteBuffer buf = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    return rawTensor(name, TensorProto.DataType.FLOAT, buf.array(), shape);
  }

  /** An int8 tensor ({@code raw_data}) of the given shape. */
  public static TensorProto int8Tensor(String name, byte[] data, long... shape) {
    return rawTensor(name, TensorProto.DataType.INT8, data, shape);
  }

  private static TensorProto rawTensor(
      String name, TensorProto.DataType type, byte[] raw, long[] shape) {
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(type.getNumber())
            .setRawData(UnsafeByteOperations.unsafeWrap(raw));
    for (long d : shape) {
      t.addDims(d);
    }
    return t.build();
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
          a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
      default ->
          throw new IllegalArgumentException(
              "unsupported attribute type for " + name + ": " + value.getClass());
    }
    return a.build();
  }

  /** Drops nodes, initializers and value infos that no graph output depends on. */
  private static GraphProto prune(GraphProto.Builder g) {
    Set<String> needed = new HashSet<>();
    g.getOutputList().forEach(o -> needed.add(o.getName()));
    List<NodeProto> kept = new ArrayList<>();
    for (int i = g.getNodeCount() - 1; i >= 0; i--) {
      NodeProto n = g.getNode(i);
      if (n.getOutputList().stream().anyMatch(needed::contains)) {
        kept.add(0, n);
        needed.addAll(n.getInputList());
      }
    }
    List<TensorProto> inits =
        g.getInitializerList().stream().filter(t -> needed.contains(t.getName())).toList();
    List<ValueInfoProto> infos =
        g.getValueInfoList().stream().filter(v -> needed.contains(v.getName())).toList();
    return g.clone()
        .clearNode()
        .addAllNode(kept)
        .clearInitializer()
        .addAllInitializer(inits)
        .clearValueInfo()
        .addAllValueInfo(infos)
        .build();
  }
}
