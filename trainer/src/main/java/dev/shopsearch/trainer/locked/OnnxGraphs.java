package dev.shopsearch.trainer.locked;

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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ONNX graph surgery for the locked towers (package-private).
 *
 * <ul>
 *   <li>{@link #imageFeatures}: a CNN classifier becomes a feature extractor. The (quantised or
 *       float) global-average-pool node is found by op type; its output is dequantised if needed,
 *       flattened, L2-normalised and made the only graph output {@value #FEATURES} {@code [batch,
 *       C]}; the classifier after it is pruned. The graph input is renamed {@code pixel_values}.
 *   <li>{@link #textFeatures}: a transformer's {@code last_hidden_state [batch, seq, W]} is
 *       mean-pooled over {@code attention_mask} and L2-normalised into {@value #FEATURES}.
 *   <li>{@link #appendHead}: appends a trained head (MatMul + Add layers with ReLU between, and an
 *       optional linear skip projection added to the output) to a feature graph; its output is the
 *       tower's embedding.
 * </ul>
 *
 * <p>Operators are emitted in the form the model's default-domain opset expects (attribute {@code
 * axes} before opset 13 / 18, input after).
 */
final class OnnxGraphs {
  static final String FEATURES = "features";
  static final String PIXELS = "pixel_values";
  private static final float EPS = 1e-12f;

  private OnnxGraphs() {}

  /** One dense layer: {@code y = x · weight + bias}, {@code weight} row-major {@code [in, out]}. */
  record Layer(int in, int out, float[] weight, float[] bias) {
    Layer {
      if (weight.length != (long) in * out || bias.length != out) {
        throw new IllegalArgumentException(
            "layer weight must be [" + in + ", " + out + "] and bias [" + out + "]");
      }
    }
  }

  /** The model's default-domain opset version. */
  static long opset(ModelProto model) {
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        return id.getVersion();
      }
    }
    throw new IllegalArgumentException("model imports no default-domain opset");
  }

  static ModelProto imageFeatures(ModelProto model) {
    return imageFeatures(model, 0, 0, new int[0]);
  }

  /**
   * As {@link #imageFeatures(ModelProto)}; with {@code colourGrid > 0} the feature is the
   * L2-normalised pooled CNN output concatenated with a colour layout: the input pixels averaged
   * over a {@code colourGrid × colourGrid} grid of {@code size / colourGrid} cells ({@code [batch,
   * 3 * colourGrid²]}, channel-major), times {@code 1 / sqrt(3 * colourGrid²)}. The pool pins the
   * input to {@code size × size} pixels.
   *
   * <p>Each entry of {@code midChannels} appends a mid-level feature between the two ({@link
   * ImageExtras#midLevel}): the L2-normalised global average of the last convolution with that many
   * output channels.
   *
   * @param colourGrid cells per side, 0 for none; must divide {@code size}
   * @param size the input's side in pixels (the preprocessing size)
   * @param midChannels output-channel counts of the convolutions to pool, e.g. {@code 96, 160, 320}
   */
  static ModelProto imageFeatures(ModelProto model, int colourGrid, int size, int[] midChannels) {
    return imageFeatures(model, colourGrid, size, midChannels, 0);
  }

  /**
   * As {@link #imageFeatures(ModelProto, int, int, int[])}; {@code regions > 1} also appends the
   * regional CNN features of {@link ImageExtras#regions} after the mid-level ones.
   */
  static ModelProto imageFeatures(
      ModelProto model, int colourGrid, int size, int[] midChannels, int regions) {
    if (colourGrid < 0 || (colourGrid > 0 && (size % colourGrid != 0 || colourGrid > size))) {
      throw new IllegalArgumentException(
          "colour grid must be 0 or divide the image size; grid=" + colourGrid + " size=" + size);
    }
    GraphProto.Builder g = model.getGraph().toBuilder();
    NodeProto pool = null;
    Map<String, Integer> ops = new TreeMap<>();
    for (NodeProto n : g.getNodeList()) {
      ops.merge(n.getOpType(), 1, Integer::sum);
      if (n.getOpType().equals("GlobalAveragePool")
          || n.getOpType().equals("QLinearGlobalAveragePool")) {
        if (pool != null) {
          throw new IllegalArgumentException("image model has more than one global-average-pool");
        }
        pool = n;
      }
    }
    if (pool == null) {
      throw new IllegalArgumentException(
          "image model has no GlobalAveragePool or QLinearGlobalAveragePool node; ops: " + ops);
    }
    if (g.getInputCount() != 1) {
      throw new IllegalArgumentException(
          "image model must have one input; found " + g.getInputCount());
    }
    long opset = opset(model);
    String pooled = pool.getOutput(0);
    if (pool.getOpType().startsWith("QLinear")) {
      // inputs: x, x_scale, x_zero_point, y_scale, y_zero_point
      g.addNode(
          node(
              "DequantizeLinear",
              "locked_gap_dequantize",
              "locked_gap_float",
              pooled,
              pool.getInput(3),
              pool.getInput(4)));
      pooled = "locked_gap_float";
    }
    g.addNode(
        node("Flatten", "locked_flatten", "locked_pooled", pooled).toBuilder()
            .addAttribute(intAttr("axis", 1))
            .build());
    if (colourGrid == 0 && midChannels.length == 0 && regions == 0) {
      l2Normalise(g, opset, "locked_pooled", FEATURES);
    } else {
      l2Normalise(g, opset, "locked_pooled", "locked_cnn");
      List<String> parts = new ArrayList<>(List.of("locked_cnn"));
      parts.addAll(ImageExtras.midLevel(g, opset, midChannels));
      if (regions > 0) {
        parts.add(ImageExtras.regions(g, opset, pool, regions, size / 32));
      }
      if (colourGrid > 0) {
        parts.add(ImageExtras.colourLayout(g, g.getInput(0).getName(), colourGrid, size));
      }
      g.addNode(
          node("Concat", "locked_concat", FEATURES, parts.toArray(String[]::new)).toBuilder()
              .addAttribute(intAttr("axis", 1))
              .build());
    }
    setOutput(g, FEATURES, -1);
    renameInput(g, g.getInput(0).getName(), PIXELS);
    return model.toBuilder().setGraph(prune(g)).build();
  }

  static ModelProto textFeatures(ModelProto model) {
    GraphProto.Builder g = model.getGraph().toBuilder();
    Set<String> inputs = new HashSet<>();
    g.getInputList().forEach(i -> inputs.add(i.getName()));
    if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
      throw new IllegalArgumentException(
          "text model needs inputs input_ids and attention_mask; found " + inputs);
    }
    String hidden = null;
    for (ValueInfoProto o : g.getOutputList()) {
      if (o.getName().equals("last_hidden_state")) {
        hidden = o.getName();
      }
    }
    if (hidden == null) {
      throw new IllegalArgumentException(
          "text model has no last_hidden_state output; outputs: "
              + g.getOutputList().stream().map(ValueInfoProto::getName).toList());
    }
    long opset = opset(model);
    g.addNode(
        node("Cast", "locked_mask_cast", "locked_mask_f", "attention_mask").toBuilder()
            .addAttribute(intAttr("to", TensorProto.DataType.FLOAT_VALUE))
            .build());
    g.addNode(axesOp(g, opset, 13, "Unsqueeze", "locked_mask_3d", "locked_mask_f", 2, null));
    g.addNode(node("Mul", "locked_masked", "locked_masked", hidden, "locked_mask_3d"));
    g.addNode(axesOp(g, opset, 13, "ReduceSum", "locked_sum", "locked_masked", 1, 0L));
    g.addNode(axesOp(g, opset, 13, "ReduceSum", "locked_count", "locked_mask_3d", 1, 0L));
    addScalar(g, "locked_eps", EPS);
    g.addNode(node("Max", "locked_count_safe", "locked_count_safe", "locked_count", "locked_eps"));
    g.addNode(node("Div", "locked_pooled", "locked_pooled", "locked_sum", "locked_count_safe"));
    l2Normalise(g, opset, "locked_pooled", FEATURES);
    setOutput(g, FEATURES, -1);
    return model.toBuilder().setGraph(prune(g)).build();
  }

  /** Appends dense layers (ReLU between them) after {@value #FEATURES}; output {@code output}. */
  static ModelProto appendHead(ModelProto features, List<Layer> layers, String output) {
    return appendHead(features, layers, null, output);
  }

  /**
   * Appends dense layers (ReLU between them) after {@value #FEATURES}, plus, when {@code skip} is
   * not null, a linear skip projection of {@value #FEATURES} added to the last layer's output;
   * output {@code output}.
   */
  static ModelProto appendHead(ModelProto features, List<Layer> layers, Layer skip, String output) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a head needs at least one layer");
    }
    int width = layers.get(layers.size() - 1).out();
    if (skip != null && skip.out() != width) {
      throw new IllegalArgumentException(
          "skip projection width " + skip.out() + " differs from the head output width " + width);
    }
    GraphProto.Builder g = features.getGraph().toBuilder();
    String x = FEATURES;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String w = "head_w" + i;
      String b = "head_b" + i;
      g.addInitializer(floatTensor(w, l.weight(), l.in(), l.out()));
      g.addInitializer(floatTensor(b, l.bias(), l.out()));
      g.addNode(node("MatMul", "head_matmul" + i, "head_mm" + i, x, w));
      boolean last = i == layers.size() - 1;
      String y = last ? (skip == null ? output : "head_branch") : "head_lin" + i;
      g.addNode(node("Add", "head_add" + i, y, "head_mm" + i, b));
      if (!last) {
        g.addNode(node("Relu", "head_relu" + i, "head_act" + i, y));
        x = "head_act" + i;
      }
    }
    if (skip != null) {
      g.addInitializer(floatTensor("head_ws", skip.weight(), skip.in(), skip.out()));
      g.addInitializer(floatTensor("head_bs", skip.bias(), skip.out()));
      g.addNode(node("MatMul", "head_skip_matmul", "head_skip_mm", FEATURES, "head_ws"));
      g.addNode(node("Add", "head_skip_add", "head_skip", "head_skip_mm", "head_bs"));
      g.addNode(node("Add", "head_residual", output, "head_branch", "head_skip"));
    }
    setOutput(g, output, width);
    return features.toBuilder().setGraph(prune(g)).build();
  }

  /** out = x / max(‖x‖₂, eps) over axis 1. */
  static void l2Normalise(GraphProto.Builder g, long opset, String x, String out) {
    g.addNode(axesOp(g, opset, 18, "ReduceL2", x + "_l2", x, 1, 1L));
    addScalar(g, x + "_eps", EPS);
    g.addNode(node("Max", x + "_l2_safe", x + "_l2_safe", x + "_l2", x + "_eps"));
    g.addNode(node("Div", x + "_normalise", out, x, x + "_l2_safe"));
  }

  /**
   * A node with an {@code axes} list of one axis: an attribute before {@code inputSince}, an int64
   * input from then on; {@code keepdims} is set when non-null.
   */
  private static NodeProto axesOp(
      GraphProto.Builder g,
      long opset,
      int inputSince,
      String op,
      String out,
      String x,
      long axis,
      Long keepdims) {
    NodeProto.Builder n =
        NodeProto.newBuilder().setOpType(op).setName(out).addInput(x).addOutput(out);
    if (opset >= inputSince) {
      String axes = out + "_axes";
      g.addInitializer(
          TensorProto.newBuilder()
              .setName(axes)
              .setDataType(TensorProto.DataType.INT64_VALUE)
              .addDims(1)
              .addInt64Data(axis)
              .build());
      n.addInput(axes);
    } else {
      n.addAttribute(
          AttributeProto.newBuilder()
              .setName("axes")
              .setType(AttributeProto.AttributeType.INTS)
              .addInts(axis)
              .build());
    }
    if (keepdims != null) {
      n.addAttribute(intAttr("keepdims", keepdims));
    }
    return n.build();
  }

  static NodeProto node(String op, String name, String out, String... inputs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(out);
    for (String in : inputs) {
      n.addInput(in);
    }
    return n.build();
  }

  static AttributeProto intsAttr(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static void addScalar(GraphProto.Builder g, String name, float value) {
    g.addInitializer(floatTensor(name, new float[] {value}));
  }

  static TensorProto floatTensor(String name, float[] data, long... dims) {
    ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(data);
    TensorProto.Builder t =
        TensorProto.newBuilder()
            .setName(name)
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .setRawData(ByteString.copyFrom(buf.array()));
    for (long d : dims) {
      t.addDims(d);
    }
    return t.build();
  }

  /** Makes {@code name} the only graph output: float {@code [batch, width]} (width -1: dynamic). */
  private static void setOutput(GraphProto.Builder g, String name, long width) {
    TensorShapeProto.Builder shape =
        TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    shape.addDim(
        width > 0
            ? TensorShapeProto.Dimension.newBuilder().setDimValue(width)
            : TensorShapeProto.Dimension.newBuilder().setDimParam("width"));
    g.clearOutput()
        .addOutput(
            ValueInfoProto.newBuilder()
                .setName(name)
                .setType(
                    TypeProto.newBuilder()
                        .setTensorType(
                            TypeProto.Tensor.newBuilder()
                                .setElemType(TensorProto.DataType.FLOAT_VALUE)
                                .setShape(shape))));
  }

  private static void renameInput(GraphProto.Builder g, String from, String to) {
    if (from.equals(to)) {
      return;
    }
    g.setInput(0, g.getInput(0).toBuilder().setName(to));
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      if (n.getInputList().contains(from)) {
        NodeProto.Builder b = n.toBuilder().clearInput();
        n.getInputList().forEach(in -> b.addInput(in.equals(from) ? to : in));
        g.setNode(i, b);
      }
    }
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
    List<TensorProto> inits = new ArrayList<>();
    g.getInitializerList()
        .forEach(
            t -> {
              if (needed.contains(t.getName())) {
                inits.add(t);
              }
            });
    List<ValueInfoProto> infos = new ArrayList<>();
    g.getValueInfoList()
        .forEach(
            v -> {
              if (needed.contains(v.getName())) {
                infos.add(v);
              }
            });
    return g.clearNode()
        .addAllNode(kept)
        .clearInitializer()
        .addAllInitializer(inits)
        .clearValueInfo()
        .addAllValueInfo(infos)
        .build();
  }
}
