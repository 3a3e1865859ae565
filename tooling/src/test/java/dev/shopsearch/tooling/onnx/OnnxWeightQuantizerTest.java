package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxWeightQuantizerTest {
  @TempDir Path tmp;

  @Test
  void quantisesLargeConstantMatMulsFoldsBiasesAndKeepsTheRestFloat() throws Exception {
    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("b"), 7);
    byte[] text = Files.readAllBytes(bundle.resolve(bundle.manifest().text().file()));

    OnnxWeightQuantizer.Result result =
        OnnxWeightQuantizer.quantize(text, OnnxWeightQuantizer.Options.defaults());

    OnnxWeightQuantizer.Report report = result.report();
    // Tiny text tower: 2 blocks × (qkv 64×192, out_proj 64×64, fc1 64×256, fc2 256×64).
    assertThat(report.quantized()).hasSize(8);
    assertThat(report.biasesFolded()).isEqualTo(8);
    assertThat(report.skipped())
        .anySatisfy((node, why) -> assertThat(why).contains("below minWeights 4096"))
        .anySatisfy((node, why) -> assertThat(why).contains("is not a constant"));
    assertThat(report.bytesAfter()).isLessThan(report.bytesBefore());

    ModelProto out = ModelProto.parseFrom(result.model());
    long fused =
        out.getGraph().getNodeList().stream()
            .filter(n -> n.getOpType().equals("DynamicQuantizeMatMul"))
            .peek(n -> assertThat(n.getDomain()).isEqualTo("com.microsoft"))
            .count();
    assertThat(fused).isEqualTo(8);
    assertThat(out.getOpsetImportList())
        .anySatisfy(o -> assertThat(o.getDomain()).isEqualTo("com.microsoft"));
    long int8 =
        out.getGraph().getInitializerList().stream()
            .filter(t -> t.getDataType() == TensorProto.DataType.INT8_VALUE)
            .count();
    assertThat(int8).isEqualTo(8);
    // Every value a node reads is still produced by a node, an input or an initializer.
    java.util.Set<String> known = new java.util.HashSet<>();
    out.getGraph().getInputList().forEach(v -> known.add(v.getName()));
    out.getGraph().getInitializerList().forEach(t -> known.add(t.getName()));
    for (NodeProto n : out.getGraph().getNodeList()) {
      for (String in : n.getInputList()) {
        assertThat(in.isEmpty() || known.contains(in)).as("%s reads %s", n.getName(), in).isTrue();
      }
      known.addAll(n.getOutputList());
    }
  }

  @Test
  void quantisedMatrixIsWithinHalfAStepOfEveryWeight() {
    SplittableRandom random = new SplittableRandom(11);
    int k = 37;
    int n = 19;
    float[] w = new float[k * n];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (random.nextGaussian() * (1 + i % n));
    }
    for (int i = 0; i < k; i++) {
      w[i * n + 5] = 0f; // an all-zero column
    }
    QuantizedMatrix q = QuantizedMatrix.of(w, k, n);
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < n; j++) {
        assertThat(q.get(i, j)).isCloseTo(w[i * n + j], within(q.scales()[j] / 2 + 1e-7f));
      }
    }
    assertThat(q.scales()[5]).isEqualTo(1f);
    int max = 0;
    for (byte b : q.values()) {
      max = Math.max(max, Math.abs(b));
    }
    assertThat(max).isEqualTo(127);
  }

  @Test
  void nonFiniteWeightIsRefusedByPosition() {
    float[] w = {1f, 2f, Float.NaN, 4f};
    assertThatThrownBy(() -> QuantizedMatrix.of(w, 2, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight [1, 0] is NaN");
  }

  @Test
  void notAModelOrNothingToQuantiseIsAClearError() throws Exception {
    assertThatThrownBy(
            () ->
                OnnxWeightQuantizer.quantize(
                    new byte[] {1, 2, 3}, OnnxWeightQuantizer.Options.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ONNX model");

    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("b"), 7);
    byte[] text = Files.readAllBytes(bundle.resolve(bundle.manifest().text().file()));
    assertThatThrownBy(
            () -> OnnxWeightQuantizer.quantize(text, new OnnxWeightQuantizer.Options(1_000_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no MatMul qualifies")
        .hasMessageContaining("below minWeights 1000000");
    assertThatThrownBy(() -> new OnnxWeightQuantizer.Options(0))
        .hasMessageContaining("minWeights must be >= 1; minWeights=0");
  }
}
