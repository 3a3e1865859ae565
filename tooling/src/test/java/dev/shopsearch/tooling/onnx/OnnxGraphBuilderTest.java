package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OnnxGraphBuilderTest {

  @Test
  void rejectsDuplicateNamesAndDanglingReferences() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("t");
    g.input("x", DataType.FLOAT, "batch", 4);
    g.node("Relu", "relu", new String[] {"x"});
    assertThatThrownBy(() -> g.node("Relu", "relu", new String[] {"x"}))
        .hasMessageContaining("duplicate ONNX node name 'relu'");
    assertThatThrownBy(() -> g.node("Relu", "relu2", new String[] {"nope"}))
        .hasMessageContaining("node 'relu2' (Relu) reads unknown value 'nope'");
    assertThatThrownBy(() -> g.output("missing", DataType.FLOAT, "batch", 4))
        .hasMessageContaining("graph output 'missing' is not produced by any node");
    assertThatThrownBy(() -> g.floats("w", new float[3], 2, 2))
        .hasMessageContaining("initializer 'w': shape needs 4 values, got 3");
  }

  @Test
  void towersHaveNamedNodesDynamicAxesAndOpset17() throws InvalidProtocolBufferException {
    ClipConfig config = ClipConfig.tiny(40);
    ClipWeights weights = ClipWeights.random(config, 2);
    OnnxMl.ModelProto text =
        OnnxMl.ModelProto.parseFrom(ClipGraphWriter.textTower(config, weights));
    OnnxMl.ModelProto image =
        OnnxMl.ModelProto.parseFrom(ClipGraphWriter.imageTower(config, weights));
    for (OnnxMl.ModelProto model : new OnnxMl.ModelProto[] {text, image}) {
      assertThat(model.getIrVersion()).isEqualTo(8);
      assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(17);
      Set<String> names = new HashSet<>();
      for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
        assertThat(node.getName()).isNotBlank();
        assertThat(names.add(node.getName())).as("unique " + node.getName()).isTrue();
      }
      assertThat(
              model
                  .getGraph()
                  .getInput(0)
                  .getType()
                  .getTensorType()
                  .getShape()
                  .getDim(0)
                  .getDimParam())
          .isEqualTo("batch");
    }
    OnnxMl.TensorShapeProto ids = text.getGraph().getInput(0).getType().getTensorType().getShape();
    assertThat(ids.getDim(1).getDimParam()).isEqualTo("sequence");
    assertThat(text.getGraph().getInput(0).getType().getTensorType().getElemType())
        .isEqualTo(DataType.INT64.getNumber());
    OnnxMl.TensorShapeProto pixels =
        image.getGraph().getInput(0).getType().getTensorType().getShape();
    assertThat(pixels.getDim(1).getDimValue()).isEqualTo(3);
    assertThat(pixels.getDim(3).getDimValue()).isEqualTo(32);
    assertThat(text.getGraph().getNodeList())
        .extracting(OnnxMl.NodeProto::getName)
        .contains("text/layers.1/attn/scores", "text/pooled", "text_embeds");
  }

  /** A one-node model at the given opset: {@code y = Relu(x)}, x {@code [batch, 3]}. */
  private static OnnxMl.ModelProto reluModel(int opset) {
    OnnxGraphBuilder g = new OnnxGraphBuilder("relu");
    g.input("x", DataType.FLOAT, "batch", 3);
    g.node("Relu", "y", new String[] {"x"});
    g.output("y", DataType.FLOAT, "batch", 3);
    OnnxMl.ModelProto m;
    try {
      m = OnnxMl.ModelProto.parseFrom(g.build("test", "relu"));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    return m.toBuilder()
        .setOpsetImport(0, m.getOpsetImport(0).toBuilder().setVersion(opset))
        .build();
  }

  private static float[][] run(OnnxMl.ModelProto model, String input, float[][] x)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(model.toByteArray(), new OrtSession.SessionOptions());
        OnnxTensor t = OnnxTensor.createTensor(env, x);
        OrtSession.Result r = s.run(Map.of(input, t))) {
      return (float[][]) r.get(0).getValue();
    }
  }

  @Test
  void editExtendsAModelReadsItsValuesAndPrunesWhatNoOutputNeeds() throws OrtException {
    OnnxGraphBuilder g = OnnxGraphBuilder.edit(reluModel(17));
    assertThat(g.opset()).isEqualTo(17);
    assertThatThrownBy(() -> g.node("Relu", "y", new String[] {"x"}))
        .hasMessageContaining("duplicate ONNX node name 'y'");
    g.node("Neg", "unused", new String[] {"y"});
    g.l2Normalize("y", "unit");
    g.onlyOutput("unit", DataType.FLOAT, "batch", 3);
    g.renameInput("x", "pixels");
    assertThatThrownBy(() -> g.build("p", "d")).hasMessageContaining("buildPruned()");
    OnnxMl.ModelProto edited = g.buildPruned();

    assertThat(edited.getGraph().getNodeList())
        .extracting(OnnxMl.NodeProto::getName)
        .containsExactly("y", "y_l2", "y_l2_safe", "y_normalise");
    assertThat(edited.getGraph().getInput(0).getName()).isEqualTo("pixels");
    assertThat(edited.getGraph().getOutputList())
        .extracting(OnnxMl.ValueInfoProto::getName)
        .containsExactly("unit");
    float[][] out = run(edited, "pixels", new float[][] {{3, -1, 4}, {0, 0, 0}});
    assertThat(out[0]).containsExactly(3 / 5f, 0f, 4 / 5f);
    // max(norm, eps) keeps an all-zero row finite
    assertThat(out[1]).containsExactly(0f, 0f, 0f);
  }

  @Test
  void axesAreAnAttributeBeforeTheOpsetThatMadeThemAnInput() throws OrtException {
    for (int opset : new int[] {12, 13, 17, 18}) {
      OnnxGraphBuilder g = OnnxGraphBuilder.edit(reluModel(opset));
      g.axesNode("ReduceSum", 13, "sum", "y", 1, 0L);
      g.axesNode("ReduceL2", 18, "l2", "y", 1, 0L);
      g.node("Add", "both", new String[] {"sum", "l2"});
      g.axesNode("Unsqueeze", 13, "column", "both", 1, null);
      g.onlyOutput("column", DataType.FLOAT, "batch", 1);
      OnnxMl.ModelProto m = g.buildPruned();
      for (OnnxMl.NodeProto n : m.getGraph().getNodeList()) {
        int since = n.getOpType().equals("ReduceL2") ? 18 : 13;
        if (n.getOpType().equals("Relu") || n.getOpType().equals("Add")) {
          continue;
        }
        boolean asInput = n.getInputCount() == 2;
        boolean asAttribute =
            n.getAttributeList().stream().anyMatch(a -> a.getName().equals("axes"));
        assertThat(asInput)
            .as("opset %d %s axes input", opset, n.getOpType())
            .isEqualTo(opset >= since);
        assertThat(asAttribute)
            .as("opset %d %s axes attribute", opset, n.getOpType())
            .isNotEqualTo(asInput);
      }
      float[][] out = run(m, "x", new float[][] {{3, -1, 4}});
      assertThat(out[0][0]).as("opset %d", opset).isEqualTo(7 + 5f);
    }
  }

  @Test
  void anOutputNameIsNeverTakenForAnAttribute() {
    OnnxGraphBuilder g = new OnnxGraphBuilder("t");
    g.input("x", DataType.FLOAT, "batch", 4);
    assertThat(g.nodeWithOutput("Relu", "relu", "activated", new String[] {"x"}))
        .isEqualTo("activated");
    assertThatThrownBy(() -> g.node("Relu", "relu2", new String[] {"x"}, "alpha"))
        .hasMessageContaining("attributes must be name/value pairs at node relu2");
    assertThatThrownBy(() -> g.node("Relu", "relu3", new String[] {"x"}, 1L, 2L))
        .hasMessageContaining("attribute name expected at position 0 of node relu3");
    g.output("activated", DataType.FLOAT, "batch", 4);
    assertThatThrownBy(() -> g.buildPruned()).hasMessageContaining("build(producer, docString)");
  }
}
