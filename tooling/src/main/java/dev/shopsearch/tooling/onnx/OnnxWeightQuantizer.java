package dev.shopsearch.tooling.onnx;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Dynamic int8 weight quantisation of an ONNX graph, the scheme of ONNX Runtime's {@code
 * quantize_dynamic} written in Java: every {@code MatMul} whose right-hand side is a constant 2-D
 * float initializer {@code [K, N]} with at least {@link Options#minWeights()} elements becomes one
 * {@code com.microsoft.DynamicQuantizeMatMul} node. Its weight is stored as int8 with one symmetric
 * scale per output column ({@code scale[n] = max_k |w[k][n]| / 127}, zero point 0); the activation
 * is quantised to uint8 per call by ONNX Runtime. A following {@code Add} of a constant {@code [N]}
 * bias is folded into the node's bias input.
 *
 * <p>Why: at batch 1 a transformer tower reads every weight once per query, so on CPU it is bound
 * by memory bandwidth; int8 weights are a quarter of the bytes and run on the VNNI/AVX2 integer
 * kernels. Everything else (attention products of two activations, layer norms, embeddings, small
 * projections) stays float. The result needs ONNX Runtime's contrib operators (its CPU and CUDA
 * builds both have them); callers should check the embeddings against the float graph ({@link
 * BundleQuantizer} does).
 *
 * <p>Stateless and thread-safe.
 */
public final class OnnxWeightQuantizer {

  /** The contrib operator domain of ONNX Runtime. */
  static final String MS_DOMAIN = "com.microsoft";

  /**
   * Options.
   *
   * @param minWeights quantise only weights with at least this many elements ({@code K * N}); small
   *     matrices gain no speed and lose precision
   */
  public record Options(long minWeights) {
    public Options {
      if (minWeights < 1) {
        throw new IllegalArgumentException("minWeights must be >= 1; minWeights=" + minWeights);
      }
    }

    /** Weights of 4096 elements (64 × 64) and more. */
    public static Options defaults() {
      return new Options(4096);
    }
  }

  /**
   * What a call did.
   *
   * @param quantized names of the {@code MatMul} nodes replaced
   * @param biasesFolded how many of them also took the following bias {@code Add}
   * @param skipped {@code MatMul} node name to the reason it stayed float
   * @param bytesBefore serialised size of the input model
   * @param bytesAfter serialised size of the output model
   */
  public record Report(
      List<String> quantized,
      int biasesFolded,
      Map<String, String> skipped,
      long bytesBefore,
      long bytesAfter) {
    public Report {
      quantized = List.copyOf(quantized);
      skipped = Map.copyOf(skipped);
    }
  }

  /** A quantised model and its report. */
  public record Result(byte[] model, Report report) {}

  private OnnxWeightQuantizer() {}

  /**
   * Quantises a serialised ONNX model.
   *
   * @throws IllegalArgumentException if {@code model} is not an ONNX model, or nothing in it
   *     qualifies (the report's reasons are in the message)
   */
  public static Result quantize(byte[] model, Options options) {
    ModelProto proto;
    try {
      proto = ModelProto.parseFrom(model);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
      throw new IllegalArgumentException("not an ONNX model: no graph nodes");
    }
    GraphProto graph = proto.getGraph();
    Map<String, TensorProto> initializers = new LinkedHashMap<>();
    for (TensorProto t : graph.getInitializerList()) {
      initializers.put(t.getName(), t);
    }
    Map<String, List<NodeProto>> consumers = consumers(graph);
    Set<String> graphOutputs = new HashSet<>();
    for (ValueInfoProto o : graph.getOutputList()) {
      graphOutputs.add(o.getName());
    }

    List<NodeProto> nodes = new ArrayList<>(graph.getNodeList());
    Set<NodeProto> removed = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<NodeProto, NodeProto> replaced = new IdentityHashMap<>();
    Set<String> names = new HashSet<>(initializers.keySet());
    List<TensorProto> added = new ArrayList<>();
    List<String> quantized = new ArrayList<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    int folded = 0;

    for (NodeProto node : nodes) {
      if (!node.getOpType().equals("MatMul") || !node.getDomain().isEmpty()) {
        continue;
      }
      String why = unsuitable(node, initializers, options);
      if (why != null) {
        skipped.put(node.getName(), why);
        continue;
      }
      TensorProto weight = initializers.get(node.getInput(1));
      int k = (int) weight.getDims(0);
      int n = (int) weight.getDims(1);
      QuantizedMatrix q = QuantizedMatrix.of(floats(weight), k, n);
      String base = uniqueBase(node.getInput(1), names);
      names.add(base + "_quantized");
      names.add(base + "_scale");
      added.add(OnnxGraphBuilder.int8Tensor(base + "_quantized", q.values(), k, n));
      added.add(OnnxGraphBuilder.floatTensor(base + "_scale", q.scales(), n));

      NodeProto.Builder dq =
          NodeProto.newBuilder()
              .setOpType("DynamicQuantizeMatMul")
              .setDomain(MS_DOMAIN)
              .setName(node.getName() + "_int8")
              .addInput(node.getInput(0))
              .addInput(base + "_quantized")
              .addInput(base + "_scale");
      NodeProto bias = foldableBias(node, n, initializers, consumers, graphOutputs);
      if (bias != null) {
        String biasName =
            bias.getInput(0).equals(node.getOutput(0)) ? bias.getInput(1) : bias.getInput(0);
        dq.addInput("").addInput(biasName).addOutput(bias.getOutput(0));
        removed.add(bias);
        folded++;
      } else {
        dq.addOutput(node.getOutput(0));
      }
      replaced.put(node, dq.build());
      quantized.add(node.getName());
    }
    if (quantized.isEmpty()) {
      throw new IllegalArgumentException(
          "no MatMul qualifies for int8 weight quantisation"
              + (skipped.isEmpty() ? " (the graph has none)" : ": " + skipped));
    }

    GraphProto.Builder out = graph.toBuilder().clearNode();
    for (NodeProto node : nodes) {
      if (!removed.contains(node)) {
        out.addNode(replaced.getOrDefault(node, node));
      }
    }
    Set<String> stillRead = new HashSet<>();
    for (NodeProto node : out.getNodeList()) {
      stillRead.addAll(node.getInputList());
    }
    stillRead.addAll(graphOutputs);
    out.clearInitializer();
    for (TensorProto t : initializers.values()) {
      if (stillRead.contains(t.getName())) {
        out.addInitializer(t);
      }
    }
    out.addAllInitializer(added);
    // Graph inputs that merely declared now-removed initializers (older exporters list them).
    List<ValueInfoProto> inputs = new ArrayList<>(out.getInputList());
    out.clearInput();
    for (ValueInfoProto in : inputs) {
      if (!initializers.containsKey(in.getName()) || stillRead.contains(in.getName())) {
        out.addInput(in);
      }
    }

    ModelProto.Builder result = proto.toBuilder().setGraph(out);
    boolean hasMs = false;
    for (OperatorSetIdProto opset : proto.getOpsetImportList()) {
      hasMs |= opset.getDomain().equals(MS_DOMAIN);
    }
    if (!hasMs) {
      result.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
    }
    byte[] bytes = result.build().toByteArray();
    return new Result(
        bytes, new Report(quantized, folded, skipped, model.length, (long) bytes.length));
  }

  private static String unsuitable(
      NodeProto node, Map<String, TensorProto> initializers, Options options) {
    if (node.getInputCount() != 2) {
      return "has " + node.getInputCount() + " inputs";
    }
    TensorProto w = initializers.get(node.getInput(1));
    if (w == null) {
      return "right-hand side '" + node.getInput(1) + "' is not a constant";
    }
    if (w.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      return "weight '" + w.getName() + "' is not float32";
    }
    if (w.getDimsCount() != 2) {
      return "weight '" + w.getName() + "' has rank " + w.getDimsCount() + ", not 2";
    }
    if (w.hasDataLocation() && w.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      return "weight '" + w.getName() + "' is stored externally";
    }
    long count = w.getDims(0) * w.getDims(1);
    if (count < options.minWeights()) {
      return String.format(
          Locale.ROOT,
          "weight '%s' has %d elements, below minWeights %d",
          w.getName(),
          count,
          options.minWeights());
    }
    return null;
  }

  /** The {@code Add} that adds a constant {@code [n]} vector to the node's output, if foldable. */
  private static NodeProto foldableBias(
      NodeProto matmul,
      int n,
      Map<String, TensorProto> initializers,
      Map<String, List<NodeProto>> consumers,
      Set<String> graphOutputs) {
    String y = matmul.getOutput(0);
    List<NodeProto> users = consumers.getOrDefault(y, List.of());
    if (users.size() != 1 || graphOutputs.contains(y)) {
      return null;
    }
    NodeProto add = users.get(0);
    if (!add.getOpType().equals("Add") || !add.getDomain().isEmpty() || add.getInputCount() != 2) {
      return null;
    }
    String other = add.getInput(0).equals(y) ? add.getInput(1) : add.getInput(0);
    TensorProto b = initializers.get(other);
    boolean vector =
        b != null
            && b.getDataType() == TensorProto.DataType.FLOAT_VALUE
            && b.getDimsCount() == 1
            && b.getDims(0) == n;
    return vector ? add : null;
  }

  private static Map<String, List<NodeProto>> consumers(GraphProto graph) {
    Map<String, List<NodeProto>> out = new HashMap<>();
    for (NodeProto node : graph.getNodeList()) {
      for (String in : node.getInputList()) {
        out.computeIfAbsent(in, x -> new ArrayList<>()).add(node);
      }
    }
    return out;
  }

  private static String uniqueBase(String name, Set<String> taken) {
    String base = name;
    int i = 1;
    while (taken.contains(base + "_quantized") || taken.contains(base + "_scale")) {
      base = name + "_" + i++;
    }
    return base;
  }

  static float[] floats(TensorProto t) {
    int count = Math.toIntExact(t.getDims(0) * t.getDims(1));
    float[] out = new float[count];
    if (!t.getRawData().isEmpty()) {
      if (t.getRawData().size() != count * Float.BYTES) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "initializer '%s': raw_data has %d bytes, shape needs %d",
                t.getName(),
                t.getRawData().size(),
                count * Float.BYTES));
      }
      t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    } else {
      if (t.getFloatDataCount() != count) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "initializer '%s': float_data has %d values, shape needs %d",
                t.getName(),
                t.getFloatDataCount(),
                count));
      }
      for (int i = 0; i < count; i++) {
        out[i] = t.getFloatData(i);
      }
    }
    return out;
  }
}
