package dev.shopsearch.trainer.locked;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.shopsearch.tooling.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Optional parts of the frozen image feature, added to the CNN graph by {@link LockedGraphs}: a
 * colour layout of the input pixels and globally pooled mid-level activations (package-private).
 */
final class ImageExtras {

  private ImageExtras() {}

  /**
   * Adds the input pixels averaged over a {@code grid × grid} grid of {@code size / grid} cells,
   * flattened channel-major and scaled by {@code 1 / sqrt(3 * grid²)}.
   *
   * @return the name of the {@code [batch, 3 * grid²]} output
   */
  static String colourLayout(OnnxGraphBuilder g, String input, int grid, int size) {
    long cell = size / grid;
    g.node(
        "AveragePool",
        "locked_colour_pool",
        new String[] {input},
        "kernel_shape",
        new long[] {cell, cell},
        "strides",
        new long[] {cell, cell});
    flatten(g, "locked_colour_flatten", "locked_colour_flat", "locked_colour_pool");
    g.scalar("locked_colour_scale", (float) (1 / Math.sqrt(3.0 * grid * grid)));
    return g.nodeWithOutput(
        "Mul",
        "locked_colour_scaled",
        "locked_colour",
        new String[] {"locked_colour_flat", "locked_colour_scale"});
  }

  /**
   * For each channel count, finds the last {@code Conv} or {@code QLinearConv} whose weight has
   * that many output channels, dequantises its output if needed (with the node's own output
   * scale/zero-point), global-average-pools, flattens and L2-normalises it.
   *
   * @return the names of the {@code [batch, channels]} outputs, in argument order
   * @throws IllegalArgumentException when no convolution has one of the channel counts (the message
   *     lists the counts found)
   */
  static List<String> midLevel(OnnxGraphBuilder g, int[] channels) {
    Map<String, TensorProto> init = new HashMap<>();
    g.initializers().forEach(t -> init.put(t.getName(), t));
    Map<Long, NodeProto> lastByChannels = new HashMap<>();
    for (NodeProto n : g.nodes()) {
      int weightInput =
          switch (n.getOpType()) {
            case "Conv" -> 1;
            case "QLinearConv" -> 3;
            default -> -1;
          };
      if (weightInput >= 0 && n.getInputCount() > weightInput) {
        TensorProto w = init.get(n.getInput(weightInput));
        if (w != null && w.getDimsCount() == 4) {
          lastByChannels.put(w.getDims(0), n);
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (int c : channels) {
      NodeProto conv = lastByChannels.get((long) c);
      if (conv == null) {
        throw new IllegalArgumentException(
            "no convolution with " + c + " output channels; found " + lastByChannels.keySet());
      }
      String x = conv.getOutput(0);
      String p = "locked_mid" + c;
      if (conv.getOpType().equals("QLinearConv")) {
        // inputs: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, bias]
        x =
            g.nodeWithOutput(
                "DequantizeLinear",
                p + "_dq",
                p + "_float",
                new String[] {x, conv.getInput(6), conv.getInput(7)});
      }
      g.node("GlobalAveragePool", p + "_gap", new String[] {x});
      flatten(g, p + "_flatten", p + "_flat", p + "_gap");
      out.add(g.l2Normalize(p + "_flat", p));
    }
    return out;
  }

  /**
   * Regional CNN features: the global pool's input map (dequantised with the pool's own input
   * scale/zero-point when it is a {@code QLinearGlobalAveragePool}), average-pooled into {@code
   * regions × regions} overlapping windows, each window's channel vector L2-normalised, flattened
   * channel-major and scaled by {@code 1 / regions} (so the part has unit norm). Global pooling
   * keeps what is in the photo, this keeps roughly where (collar vs hem, print vs plain sleeves).
   *
   * @param mapSide side of the pool's input map ({@code size / 32} for MobileNetV2)
   * @return the name of the {@code [batch, channels * regions²]} output
   */
  static String regions(OnnxGraphBuilder g, NodeProto pool, int regions, int mapSide) {
    if (regions < 2 || regions > mapSide) {
      throw new IllegalArgumentException(
          "regions must be in [2, "
              + mapSide
              + "] for a "
              + mapSide
              + "-wide map; regions="
              + regions);
    }
    long stride = mapSide / regions;
    long kernel = mapSide - stride * (regions - 1);
    String x = pool.getInput(0);
    if (pool.getOpType().startsWith("QLinear")) {
      x =
          g.nodeWithOutput(
              "DequantizeLinear",
              "locked_regions_dq",
              "locked_regions_map",
              new String[] {x, pool.getInput(1), pool.getInput(2)});
    }
    g.node(
        "AveragePool",
        "locked_regions_pool",
        new String[] {x},
        "kernel_shape",
        new long[] {kernel, kernel},
        "strides",
        new long[] {stride, stride});
    g.l2Normalize("locked_regions_pool", "locked_regions_unit");
    flatten(g, "locked_regions_flatten", "locked_regions_flat", "locked_regions_unit");
    g.scalar("locked_regions_scale", 1f / regions);
    return g.nodeWithOutput(
        "Mul",
        "locked_regions_scaled",
        "locked_regions",
        new String[] {"locked_regions_flat", "locked_regions_scale"});
  }

  private static void flatten(OnnxGraphBuilder g, String name, String out, String in) {
    g.nodeWithOutput("Flatten", name, out, new String[] {in}, "axis", 1L);
  }
}
