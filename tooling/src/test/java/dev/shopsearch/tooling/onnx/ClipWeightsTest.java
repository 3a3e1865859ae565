package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClipWeightsTest {

  @Test
  void vitB32LayoutHasHuggingFaceNamesAndParameterCount() {
    Map<String, int[]> layout = ClipWeights.layout(ClipConfig.vitB32());
    assertThat(layout)
        .containsKeys(
            "text_model.embeddings.token_embedding.weight",
            "text_model.encoder.layers.11.self_attn.q_proj.weight",
            "text_model.final_layer_norm.bias",
            "vision_model.embeddings.class_embedding",
            "vision_model.embeddings.patch_embedding.weight",
            "vision_model.pre_layrnorm.weight",
            "vision_model.post_layernorm.weight",
            "text_projection.weight",
            "visual_projection.weight",
            "logit_scale");
    assertThat(layout.get("vision_model.embeddings.patch_embedding.weight"))
        .containsExactly(768, 3, 32, 32);
    assertThat(layout.get("vision_model.embeddings.position_embedding.weight"))
        .containsExactly(50, 768);
    assertThat(layout.get("text_projection.weight")).containsExactly(512, 512);
    assertThat(layout.get("visual_projection.weight")).containsExactly(512, 768);
    assertThat(layout.get("logit_scale")).isEmpty();
    long params = 0;
    for (int[] shape : layout.values()) {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      params += n;
    }
    // openai/clip-vit-base-patch32 has 151,277,313 parameters.
    assertThat(params).isEqualTo(151_277_313L);
  }

  @Test
  void randomIsSeededAndScaled() {
    ClipConfig config = ClipConfig.tiny(100);
    ClipWeights a = ClipWeights.random(config, 7);
    ClipWeights b = ClipWeights.random(config, 7);
    ClipWeights c = ClipWeights.random(config, 8);
    assertThat(a.tensors()).isEqualTo(b.tensors());
    assertThat(a.get("text_projection.weight")).isNotEqualTo(c.get("text_projection.weight"));
    assertThat(a.get("logit_scale").data()[0]).isEqualTo(ClipWeights.INIT_LOGIT_SCALE);
    assertThat(a.get("text_model.final_layer_norm.weight").data()).containsOnly(1f);
    assertThat(a.get("text_model.encoder.layers.0.mlp.fc1.bias").data()).containsOnly(0f);
    float[] tok = a.get("text_model.embeddings.token_embedding.weight").data();
    double sumSq = 0;
    for (float f : tok) {
      sumSq += f * f;
    }
    assertThat(Math.sqrt(sumSq / tok.length)).isBetween(0.018, 0.022);
  }

  @Test
  void ofRejectsMissingAndMisshapenTensors() {
    ClipConfig config = ClipConfig.tiny(50);
    Map<String, ClipWeights.Tensor> named =
        new LinkedHashMap<>(ClipWeights.random(config, 1).tensors());
    named.put(
        "text_model.embeddings.position_ids", new ClipWeights.Tensor(new int[] {1}, new float[1]));
    assertThat(ClipWeights.of(config, named).parameterCount())
        .isEqualTo(ClipWeights.random(config, 1).parameterCount());
    named.remove("logit_scale");
    named.put("text_projection.weight", new ClipWeights.Tensor(new int[] {2, 2}, new float[4]));
    assertThatThrownBy(() -> ClipWeights.of(config, named))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing logit_scale")
        .hasMessageContaining("text_projection.weight has shape [2, 2], expected [32, 64]");
  }

  @Test
  void configValidationNamesTheValue() {
    assertThatThrownBy(() -> new ClipConfig.TextTower(100, 77, 65, 2, 4))
        .hasMessageContaining("text.width must be a multiple of text.heads; width=65 heads=4");
    assertThatThrownBy(() -> new ClipConfig.ImageTower(30, 8, 64, 2, 4))
        .hasMessageContaining("imageSize=30 patchSize=8");
    assertThatThrownBy(() -> new ClipConfig.TextTower(1, 77, 64, 2, 4))
        .hasMessageContaining("text.vocabSize must be in [2, 4194304]; text.vocabSize=1");
  }
}
