package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.TinyCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class HfClipCheckpointTest {

  @TempDir Path dir;

  /** Writes a tiny random CLIPModel checkpoint in Hugging Face's file and key layout. */
  public static ClipWeights writeTinyCheckpoint(Path dir, long seed) throws IOException {
    ClipConfig c = ClipConfig.tiny(TinyCatalog.vocabSize());
    ClipWeights w = ClipWeights.random(c, seed);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    float[] pos = new float[c.text().contextLength()];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i;
    }
    t.put("text_model.embeddings.position_ids", new FloatTensor(new long[] {1, pos.length}, pos));
    w.tensors().forEach((k, v) -> t.put(k, new FloatTensor(v.longShape(), v.data())));
    Safetensors.writeFloats(dir.resolve("model.safetensors"), t, Map.of("format", "pt"));
    Files.writeString(
        dir.resolve("config.json"),
        """
        {"architectures":["CLIPModel"],"model_type":"clip","projection_dim":%d,
         "logit_scale_init_value":2.6592,
         "text_config":{"vocab_size":%d,"max_position_embeddings":%d,"hidden_size":%d,
           "intermediate_size":%d,"num_hidden_layers":%d,"num_attention_heads":%d,
           "hidden_act":"quick_gelu","layer_norm_eps":1e-05},
         "vision_config":{"image_size":%d,"patch_size":%d,"hidden_size":%d,"intermediate_size":%d,
           "num_hidden_layers":%d,"num_attention_heads":%d,"hidden_act":"quick_gelu"}}
        """
            .formatted(
                c.embedDim(),
                c.text().vocabSize(),
                c.text().contextLength(),
                c.text().width(),
                c.text().mlpWidth(),
                c.text().layers(),
                c.text().heads(),
                c.image().imageSize(),
                c.image().patchSize(),
                c.image().width(),
                c.image().mlpWidth(),
                c.image().layers(),
                c.image().heads()));
    TinyCatalog.tokenizer(dir);
    return w;
  }

  @Test
  void importsTinyRandomCheckpointInHfLayout() throws IOException {
    ClipWeights written = writeTinyCheckpoint(dir, 3);
    HfClipCheckpoint ck = HfClipCheckpoint.load(dir);
    assertThat(ck.weights().config()).isEqualTo(written.config());
    assertThat(ck.weights().tensors().keySet()).isEqualTo(written.tensors().keySet());
    for (String k : written.tensors().keySet()) {
      assertThat(ck.weights().get(k).data()).as(k).containsExactly(written.get(k).data());
    }
    assertThat(ck.tokenizer()).isRegularFile();
  }

  @Test
  void unsupportedConfigsAndMissingFilesNameTheProblem() throws IOException {
    writeTinyCheckpoint(dir, 3);
    String cfg = Files.readString(dir.resolve("config.json"));
    Files.writeString(
        dir.resolve("config.json"),
        cfg.replace("\"intermediate_size\":256", "\"intermediate_size\":100"));
    assertThatThrownBy(() -> HfClipCheckpoint.load(dir))
        .hasMessageContaining("text_config.intermediate_size=100");
    Files.writeString(
        dir.resolve("config.json"),
        cfg.replace("\"num_hidden_layers\":2", "\"num_hidden_layers\":3"));
    assertThatThrownBy(() -> HfClipCheckpoint.load(dir))
        .hasMessageContaining("missing text_model.encoder.layers.2");
    Files.delete(dir.resolve("tokenizer.json"));
    assertThatThrownBy(() -> HfClipCheckpoint.load(dir))
        .hasMessageContaining("lacks tokenizer.json");
  }
}
