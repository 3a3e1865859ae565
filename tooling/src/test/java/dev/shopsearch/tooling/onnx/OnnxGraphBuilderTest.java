package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashSet;
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
}
