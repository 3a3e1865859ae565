package dev.shopsearch.trainer.locked;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.shopsearch.tooling.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The locked towers' ONNX graphs, written with {@link OnnxGraphBuilder#edit} (package-private).
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
 * axes} before opset 13 / 18, input after). The graphs' bytes key the feature cache, so node and
 * value names here are part of that key.
 */
final class LockedGraphs {
  static final String FEATURES = "features";
  static final String PIXELS = "pixel_values";

  private LockedGraphs() {}

  /** One dense layer: {@code y = x · weight + bias}, {@code weight} row-major {@code [in, out]}. */
  record Layer(int in, int out, float[] weight, float[] bias) {
    Layer {
      if (weight.length != (long) in * out || bias.length != out) {
        throw new IllegalArgumentException(
            "layer weight must be [" + in + ", " + out + "] and bias [" + out + "]");
      }
    }
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
    OnnxGraphBuilder g = OnnxGraphBuilder.edit(model);
    NodeProto pool = null;
    Map<String, Integer> ops = new TreeMap<>();
    for (NodeProto n : g.nodes()) {
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
    if (g.inputs().size() != 1) {
      throw new IllegalArgumentException(
          "image model must have one input; found " + g.inputs().size());
    }
    String input = g.inputs().get(0).getName();
    String pooled = pool.getOutput(0);
    if (pool.getOpType().startsWith("QLinear")) {
      // inputs: x, x_scale, x_zero_point, y_scale, y_zero_point
      pooled =
          g.nodeWithOutput(
              "DequantizeLinear",
              "locked_gap_dequantize",
              "locked_gap_float",
              new String[] {pooled, pool.getInput(3), pool.getInput(4)});
    }
    g.nodeWithOutput(
        "Flatten", "locked_flatten", "locked_pooled", new String[] {pooled}, "axis", 1L);
    if (colourGrid == 0 && midChannels.length == 0 && regions == 0) {
      g.l2Normalize("locked_pooled", FEATURES);
    } else {
      List<String> parts = new ArrayList<>(List.of(g.l2Normalize("locked_pooled", "locked_cnn")));
      parts.addAll(ImageExtras.midLevel(g, midChannels));
      if (regions > 0) {
        parts.add(ImageExtras.regions(g, pool, regions, size / 32));
      }
      if (colourGrid > 0) {
        parts.add(ImageExtras.colourLayout(g, input, colourGrid, size));
      }
      g.nodeWithOutput(
          "Concat", "locked_concat", FEATURES, parts.toArray(String[]::new), "axis", 1L);
    }
    g.onlyOutput(FEATURES, DataType.FLOAT, "batch", "width");
    g.renameInput(input, PIXELS);
    return g.buildPruned();
  }

  static ModelProto textFeatures(ModelProto model) {
    OnnxGraphBuilder g = OnnxGraphBuilder.edit(model);
    Set<String> inputs = new HashSet<>();
    g.inputs().forEach(i -> inputs.add(i.getName()));
    if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
      throw new IllegalArgumentException(
          "text model needs inputs input_ids and attention_mask; found " + inputs);
    }
    List<String> outputs =
        model.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
    if (!outputs.contains("last_hidden_state")) {
      throw new IllegalArgumentException(
          "text model has no last_hidden_state output; outputs: " + outputs);
    }
    g.nodeWithOutput(
        "Cast",
        "locked_mask_cast",
        "locked_mask_f",
        new String[] {"attention_mask"},
        "to",
        (long) DataType.FLOAT_VALUE);
    g.axesNode("Unsqueeze", 13, "locked_mask_3d", "locked_mask_f", 2, null);
    g.node("Mul", "locked_masked", new String[] {"last_hidden_state", "locked_mask_3d"});
    g.axesNode("ReduceSum", 13, "locked_sum", "locked_masked", 1, 0L);
    g.axesNode("ReduceSum", 13, "locked_count", "locked_mask_3d", 1, 0L);
    g.scalar("locked_eps", OnnxGraphBuilder.L2_EPS);
    g.node("Max", "locked_count_safe", new String[] {"locked_count", "locked_eps"});
    g.node("Div", "locked_pooled", new String[] {"locked_sum", "locked_count_safe"});
    g.l2Normalize("locked_pooled", FEATURES);
    g.onlyOutput(FEATURES, DataType.FLOAT, "batch", "width");
    return g.buildPruned();
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
    OnnxGraphBuilder g = OnnxGraphBuilder.edit(features);
    String x = FEATURES;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      String w = g.floats("head_w" + i, l.weight(), l.in(), l.out());
      String b = g.floats("head_b" + i, l.bias(), l.out());
      String mm = g.nodeWithOutput("MatMul", "head_matmul" + i, "head_mm" + i, new String[] {x, w});
      boolean last = i == layers.size() - 1;
      String y = last ? (skip == null ? output : "head_branch") : "head_lin" + i;
      g.nodeWithOutput("Add", "head_add" + i, y, new String[] {mm, b});
      if (!last) {
        x = g.nodeWithOutput("Relu", "head_relu" + i, "head_act" + i, new String[] {y});
      }
    }
    if (skip != null) {
      String ws = g.floats("head_ws", skip.weight(), skip.in(), skip.out());
      String bs = g.floats("head_bs", skip.bias(), skip.out());
      g.nodeWithOutput("MatMul", "head_skip_matmul", "head_skip_mm", new String[] {FEATURES, ws});
      g.nodeWithOutput("Add", "head_skip_add", "head_skip", new String[] {"head_skip_mm", bs});
      g.nodeWithOutput("Add", "head_residual", output, new String[] {"head_branch", "head_skip"});
    }
    g.onlyOutput(output, DataType.FLOAT, "batch", (long) width);
    return g.buildPruned();
  }
}
