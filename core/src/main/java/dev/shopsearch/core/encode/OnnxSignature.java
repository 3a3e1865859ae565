package dev.shopsearch.core.encode;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TowerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Checks at load time that an ONNX tower matches its {@link TowerSpec}: every declared input exists
 * with the right element type and rank, the graph needs no other input, the output exists, is
 * float, has rank 2 ({@link Pooling#NONE}) or 3 (pooled by the encoder) and, where static, a last
 * dimension equal to the expected width. Failures throw an {@link EncoderException} listing what
 * the model actually has (names, types, shapes).
 */
final class OnnxSignature {
  /** Text inputs the encoder knows how to feed (all int64 {@code [batch, seq]}). */
  static final Set<String> TEXT_INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");

  private OnnxSignature() {}

  /** Validates a text tower whose (pooled, pre-projection) output width must be {@code width}. */
  static void validateText(Path file, TowerSpec spec, OrtSession session, int width) {
    Map<String, NodeInfo> inputs = inputs(file, session);
    Map<String, NodeInfo> outputs = outputs(file, session);
    List<String> problems = new ArrayList<>();
    for (String name : spec.inputs()) {
      if (!TEXT_INPUTS.contains(name)) {
        problems.add(
            String.format(
                Locale.ROOT,
                "text input '%s' is not supported (supported: %s)",
                name,
                TEXT_INPUTS));
        continue;
      }
      checkTensor(inputs, name, OnnxJavaType.INT64, new long[] {-1, -1}, problems);
    }
    if (Set.copyOf(spec.inputs()).size() != spec.inputs().size()) {
      problems.add("text tower inputs list a name twice: " + spec.inputs());
    }
    if (!spec.inputs().contains("input_ids")) {
      problems.add("text tower inputs must include 'input_ids'");
    }
    checkNoExtraInputs(spec, inputs, problems);
    checkOutput(spec, outputs, width, problems);
    fail(file, "text", problems, inputs, outputs);
  }

  /** Validates an image tower taking {@code [batch, 3, size, size]} float pixels. */
  static void validateImage(
      Path file, TowerSpec spec, OrtSession session, int width, int imageSize) {
    Map<String, NodeInfo> inputs = inputs(file, session);
    Map<String, NodeInfo> outputs = outputs(file, session);
    List<String> problems = new ArrayList<>();
    if (spec.inputs().size() != 1) {
      problems.add(
          "an image tower has exactly one input (pixel_values); spec has " + spec.inputs());
    } else {
      checkTensor(
          inputs,
          spec.inputs().get(0),
          OnnxJavaType.FLOAT,
          new long[] {-1, 3, imageSize, imageSize},
          problems);
    }
    if (spec.pooling() == Pooling.EOT) {
      problems.add("pooling EOT applies to text towers only; use NONE, CLS or MEAN for images");
    }
    checkNoExtraInputs(spec, inputs, problems);
    checkOutput(spec, outputs, width, problems);
    fail(file, "image", problems, inputs, outputs);
  }

  /** One line per value: {@code name: TYPE [d0, d1, ...]}, symbolic dims by name. */
  static String describe(Map<String, NodeInfo> values) {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (NodeInfo node : values.values()) {
      out.add(node.getName() + ": " + describe(node.getInfo()));
    }
    return out.toString();
  }

  private static String describe(ValueInfo info) {
    if (!(info instanceof TensorInfo t)) {
      return info.toString();
    }
    long[] shape = t.getShape();
    String[] names = t.getDimensionNames();
    StringJoiner dims = new StringJoiner(", ", "[", "]");
    for (int i = 0; i < shape.length; i++) {
      boolean symbolic = shape[i] < 0;
      String name = names != null && i < names.length ? names[i] : "";
      dims.add(symbolic ? (name == null || name.isEmpty() ? "?" : name) : Long.toString(shape[i]));
    }
    return t.type + " " + dims;
  }

  private static void checkTensor(
      Map<String, NodeInfo> values,
      String name,
      OnnxJavaType type,
      long[] expectedShape,
      List<String> problems) {
    NodeInfo node = values.get(name);
    if (node == null) {
      problems.add("input '" + name + "' is missing");
      return;
    }
    if (!(node.getInfo() instanceof TensorInfo t)) {
      problems.add("input '" + name + "' is not a tensor: " + node.getInfo());
      return;
    }
    String expected = expectedDescription(type, expectedShape);
    if (t.type != type) {
      problems.add(
          String.format(Locale.ROOT, "input '%s' is %s, expected %s", name, describe(t), expected));
      return;
    }
    long[] shape = t.getShape();
    if (shape.length != expectedShape.length) {
      problems.add(
          String.format(
              Locale.ROOT,
              "input '%s' has rank %d (%s), expected rank %d %s",
              name,
              shape.length,
              describe(t),
              expectedShape.length,
              expected));
      return;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 && expectedShape[i] >= 0 && shape[i] != expectedShape[i]) {
        problems.add(
            String.format(
                Locale.ROOT,
                "input '%s' is %s, expected %s (dimension %d)",
                name,
                describe(t),
                expected,
                i));
        return;
      }
    }
  }

  private static void checkOutput(
      TowerSpec spec, Map<String, NodeInfo> outputs, int width, List<String> problems) {
    NodeInfo node = outputs.get(spec.output());
    if (node == null) {
      problems.add("output '" + spec.output() + "' is missing");
      return;
    }
    if (!(node.getInfo() instanceof TensorInfo t)) {
      problems.add("output '" + spec.output() + "' is not a tensor: " + node.getInfo());
      return;
    }
    int rank = spec.pooling() == Pooling.NONE ? 2 : 3;
    String expected =
        rank == 2
            ? "FLOAT [batch, " + width + "] (pooling NONE)"
            : "FLOAT [batch, seq, " + width + "] (pooling " + spec.pooling() + ")";
    long[] shape = t.getShape();
    if (t.type != OnnxJavaType.FLOAT || shape.length != rank) {
      problems.add(
          String.format(
              Locale.ROOT, "output '%s' is %s, expected %s", spec.output(), describe(t), expected));
    } else if (shape[rank - 1] >= 0 && shape[rank - 1] != width) {
      problems.add(
          String.format(
              Locale.ROOT,
              "output '%s' is %s, but its last dimension must be %d (%s)",
              spec.output(),
              describe(t),
              width,
              spec.projection() == null
                  ? "the manifest dim"
                  : "the rows of projection " + spec.projection()));
    }
  }

  private static void checkNoExtraInputs(
      TowerSpec spec, Map<String, NodeInfo> inputs, List<String> problems) {
    for (String name : inputs.keySet()) {
      if (!spec.inputs().contains(name)) {
        problems.add(
            "the model needs input '"
                + name
                + "' that the manifest does not declare "
                + spec.inputs());
      }
    }
  }

  private static String expectedDescription(OnnxJavaType type, long[] shape) {
    StringJoiner dims = new StringJoiner(", ", "[", "]");
    for (long d : shape) {
      dims.add(d < 0 ? "?" : Long.toString(d));
    }
    return type + " " + dims;
  }

  private static void fail(
      Path file,
      String role,
      List<String> problems,
      Map<String, NodeInfo> inputs,
      Map<String, NodeInfo> outputs) {
    if (problems.isEmpty()) {
      return;
    }
    throw new EncoderException(
        String.format(
            Locale.ROOT,
            "%s tower %s does not match the manifest: %s. The ONNX model has inputs %s and"
                + " outputs %s",
            role,
            file,
            String.join("; ", problems),
            describe(inputs),
            describe(outputs)));
  }

  private static Map<String, NodeInfo> inputs(Path file, OrtSession session) {
    try {
      return session.getInputInfo();
    } catch (OrtException e) {
      throw new EncoderException("cannot read the inputs of " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, NodeInfo> outputs(Path file, OrtSession session) {
    try {
      return session.getOutputInfo();
    } catch (OrtException e) {
      throw new EncoderException("cannot read the outputs of " + file + ": " + e.getMessage(), e);
    }
  }
}
