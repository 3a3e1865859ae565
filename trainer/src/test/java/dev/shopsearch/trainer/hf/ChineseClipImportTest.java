package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.core.text.BundleTokenizer;
import dev.shopsearch.core.text.TokenBatch;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.cli.TrainerCli;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.DjlClip;
import dev.shopsearch.trainer.export.ParityCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chinese-CLIP import (issue 15): a tiny random {@code ChineseCLIPModel} checkpoint in Hugging
 * Face's layout (config.json as OFA-Sys ships it, model.safetensors with the real key names,
 * vocab.txt, no tokenizer.json) goes through {@code trainer import-hf}; the exported ONNX towers
 * must reproduce the DJL model, also through the serving path (core's tokenizer and text encoder).
 */
public class ChineseClipImportTest {

  /** A small WordPiece vocabulary: the five specials first ({@code [PAD]} = 0), then words. */
  public static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "红", "色", "连", "衣", "裙", "蓝", "牛", "仔", "裤",
          "白", "衬", "衫", "黑", "鞋", "red", "blue", "dress", "jean", "##s", "shirt", ",", "!");

  @TempDir Path dir;

  /**
   * Writes a tiny random Chinese-CLIP checkpoint ({@link ClipConfig#tinyChineseClip}: every tensor
   * perturbed, layer norms and biases too) with the buffers and pooler a real one holds, which the
   * import ignores.
   */
  public static ClipWeights writeTinyChineseClip(Path dir, long seed) throws IOException {
    return writeTinyChineseClip(dir, seed, VOCAB, 32);
  }

  /**
   * As {@link #writeTinyChineseClip(Path, long)} with the given {@code vocab.txt} lines and {@code
   * max_position_embeddings}.
   */
  public static ClipWeights writeTinyChineseClip(
      Path dir, long seed, List<String> vocab, int positions) throws IOException {
    Files.createDirectories(dir);
    ClipConfig tiny = ClipConfig.tinyChineseClip(vocab.size());
    ClipConfig c =
        new ClipConfig(
            new ClipConfig.TextTower(
                vocab.size(),
                positions,
                tiny.text().width(),
                tiny.text().layers(),
                tiny.text().heads()),
            tiny.image(),
            tiny.embedDim(),
            tiny.activation(),
            tiny.layerNormEps(),
            tiny.bert());
    ClipWeights base = ClipWeights.random(c, seed);
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    Map<String, ClipWeights.Tensor> noisy = new LinkedHashMap<>();
    base.tensors()
        .forEach(
            (k, v) -> {
              float[] d = v.data().clone();
              for (int i = 0; i < d.length; i++) {
                d[i] += (float) (rnd.nextGaussian() * 0.05);
              }
              noisy.put(k, new ClipWeights.Tensor(v.shape(), d));
            });
    ClipWeights w = ClipWeights.of(c, noisy);
    Map<String, FloatTensor> t = new LinkedHashMap<>();
    int width = c.text().width();
    t.put(
        "text_model.embeddings.position_ids",
        new FloatTensor(
            new long[] {1, c.text().contextLength()}, new float[c.text().contextLength()]));
    t.put(
        "text_model.pooler.dense.weight",
        new FloatTensor(new long[] {width, width}, new float[width * width]));
    w.tensors().forEach((k, v) -> t.put(k, new FloatTensor(v.longShape(), v.data())));
    Safetensors.writeFloats(dir.resolve("model.safetensors"), t, Map.of("format", "pt"));
    Files.writeString(
        dir.resolve("config.json"),
        """
        {"architectures": ["ChineseCLIPModel"], "model_type": "chinese_clip",
         "initializer_factor": 1.0, "logit_scale_init_value": 2.6592, "projection_dim": %d,
         "text_config": {"model_type": "chinese_clip_text_model", "architectures": ["BertForMaskedLM"],
           "vocab_size": %d, "hidden_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
           "intermediate_size": %d, "hidden_act": "gelu", "max_position_embeddings": %d,
           "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0,
           "position_embedding_type": "absolute", "hidden_dropout_prob": 0.1},
         "vision_config": {"model_type": "chinese_clip_vision_model", "hidden_size": %d,
           "intermediate_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
           "image_size": %d, "patch_size": %d, "hidden_act": "quick_gelu",
           "layer_norm_eps": 1e-05, "projection_dim": %d}}
        """
            .formatted(
                c.embedDim(),
                c.text().vocabSize(),
                width,
                c.text().layers(),
                c.text().heads(),
                c.text().mlpWidth(),
                c.text().contextLength(),
                c.image().width(),
                c.image().mlpWidth(),
                c.image().layers(),
                c.image().heads(),
                c.image().imageSize(),
                c.image().patchSize(),
                c.embedDim()));
    Files.write(dir.resolve(HfClipCheckpoint.VOCAB_TXT), vocab);
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        "{\"do_center_crop\": false, \"do_resize\": true, \"size\": {\"height\": 32, \"width\": 32}}");
    return w;
  }

  @Test
  void importedTowersReproduceTheDjlModelAlsoThroughTheServingPath() throws Exception {
    Path ck = dir.resolve("ck");
    ClipWeights written = writeTinyChineseClip(ck, 3);
    HfClipCheckpoint loaded = HfClipCheckpoint.load(ck);
    assertThat(loaded.weights().config()).isEqualTo(written.config());
    assertThat(loaded.weights().tensors()).isEqualTo(written.tensors());

    Path out = dir.resolve("bundle");
    assertThat(TrainerCli.execute("import-hf", ck.toString(), "--out", out.toString())).isZero();
    ModelBundle b = ModelBundle.load(out);
    var m = b.manifest();
    assertThat(m.dim()).isEqualTo(32);
    assertThat(m.textSpec().maxLength())
        .as("Chinese-CLIP's 52, capped at the context")
        .isEqualTo(32);
    assertThat(m.textSpec().lowercase()).as("the WordPiece normaliser lower-cases").isFalse();
    assertThat(m.imageSpec().centerCrop()).as("preprocessor_config do_center_crop").isFalse();
    assertThat(m.metadata()).containsEntry("family", "chinese_clip");
    assertThat(
            new ObjectMapper()
                .valueToTree(m.metadata())
                .path("clip")
                .path("textArchitecture")
                .asText())
        .isEqualTo("bert");

    try (NDManager nd = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(loaded.weights(), nd)) {
      ParityCheck.Report r = ParityCheck.measure(b, p, 5, 77);
      assertThat(r.ok()).as(r.summary()).isTrue();

      // Serving path: core's tokenizer (built from vocab.txt) and ONNX text encoder.
      List<String> titles = List.of("红色连衣裙", "Blue JEANS 牛仔裤!", "白衬衫, black 鞋");
      BundleTokenizer tok = BundleTokenizer.load(b);
      TokenBatch batch = tok.encode(titles);
      assertThat(batch.row(0)).containsExactly(2L, 5L, 6L, 7L, 8L, 9L, 3L);
      assertThat(batch.row(1)).containsExactly(2L, 20L, 22L, 23L, 11L, 12L, 13L, 26L, 3L);
      assertThat(batch.seqLen()).isEqualTo(9);
      assertThat(batch.ids()[7]).as("[PAD] after row 0").isZero();
      assertThat(batch.mask()[7]).isZero();
      float[][] served;
      try (TextEncoder enc = Encoders.text(b, EncoderOptions.cpu())) {
        served = enc.encode(titles).toArray(float[][]::new);
      }
      NDArray djl =
          DjlClip.normalize(
              new DjlClip(p)
                  .encodeText(
                      nd.create(batch.ids(), new Shape(batch.batch(), batch.seqLen())),
                      nd.create(batch.mask(), new Shape(batch.batch(), batch.seqLen()))));
      float[] flat = djl.toFloatArray();
      for (int i = 0; i < titles.size(); i++) {
        for (int j = 0; j < 32; j++) {
          assertThat((double) served[i][j])
              .as("%s [%d]", titles.get(i), j)
              .isCloseTo(flat[i * 32 + j], org.assertj.core.api.Assertions.within(1e-4));
        }
      }
    }
  }

  @Test
  void importsWithTheRealChineseClipVocabulary() throws Exception {
    Path vocab = SharedData.require("tokenizers/chinese-clip/vocab.txt");
    Path ck = dir.resolve("ck-real-vocab");
    writeTinyChineseClip(ck, 11, Files.readAllLines(vocab), 64);
    Path out = dir.resolve("bundle-real-vocab");
    assertThat(TrainerCli.execute("import-hf", ck.toString(), "--out", out.toString())).isZero();
    ModelBundle b = ModelBundle.load(out);
    assertThat(b.manifest().textSpec().maxLength()).as("Chinese-CLIP's context").isEqualTo(52);
    BundleTokenizer tok = BundleTokenizer.load(b);
    long[] ids = tok.ids("红色连衣裙");
    assertThat(ids).hasSize(7).startsWith(101L).endsWith(102L); // [CLS] 5 characters [SEP]
    assertThat(ids).doesNotContain(100L); // no [UNK]
    assertThat(tok.ids("夏季新款 ".repeat(40))).hasSize(52).endsWith(102L);
    try (TextEncoder enc = Encoders.text(b, EncoderOptions.cpu())) {
      assertThat(enc.encode("红色连衣裙")).hasSize(32);
    }
  }

  @Test
  void djlTextTowerPoolsTheClsTokenAndIgnoresPadding() throws IOException {
    ClipWeights w = writeTinyChineseClip(dir.resolve("ck"), 5);
    try (NDManager nd = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(w, nd)) {
      DjlClip model = new DjlClip(p);
      long[] ids = {2, 5, 6, 9, 3, 0, 0, 2, 10, 13, 3, 0, 0, 0, 2, 5, 6, 10, 3, 0, 0};
      long[] mask = {1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0};
      float[] padded =
          model
              .encodeText(nd.create(ids, new Shape(3, 7)), nd.create(mask, new Shape(3, 7)))
              .toFloatArray();
      assertThat(padded).hasSize(3 * 32);
      float[] alone =
          model
              .encodeText(
                  nd.create(new long[] {2, 5, 6, 9, 3}, new Shape(1, 5)),
                  nd.create(new long[] {1, 1, 1, 1, 1}, new Shape(1, 5)))
              .toFloatArray();
      for (int j = 0; j < 32; j++) {
        assertThat((double) padded[j])
            .isCloseTo(alone[j], org.assertj.core.api.Assertions.within(1e-5));
      }
      // Row 2 differs from row 0 only in its last word: [CLS] attends to it (bidirectional).
      double diff = 0;
      for (int j = 0; j < 32; j++) {
        diff = Math.max(diff, Math.abs(padded[j] - padded[64 + j]));
      }
      assertThat(diff).isGreaterThan(1e-3);
    }
  }

  @Test
  void configDefaultsAndWhatCannotBeImportedAreNamed() throws IOException {
    ObjectMapper json = new ObjectMapper();
    // OFA-Sys/chinese-clip-vit-base-patch16's config.json, abridged (defaults filled in).
    ClipConfig c =
        HfClipCheckpoint.parseConfig(
            json.readTree(
                """
                {"model_type": "chinese_clip", "projection_dim": 512,
                 "text_config": {"vocab_size": 21128},
                 "vision_config": {"patch_size": 16}}
                """));
    assertThat(c.bert()).isEqualTo(new ClipConfig.BertText(2, ClipConfig.Activation.GELU, 1e-12f));
    assertThat(c.text()).isEqualTo(new ClipConfig.TextTower(21128, 512, 768, 12, 12));
    assertThat(c.image()).isEqualTo(new ClipConfig.ImageTower(224, 16, 768, 12, 12));
    assertThat(c.activation()).isEqualTo(ClipConfig.Activation.QUICK_GELU);
    assertThat(c.layerNormEps()).isEqualTo(1e-5f);
    assertThat(HfClipCheckpoint.configJson(c)).contains("\"model_type\" : \"chinese_clip\"");
    assertThat(HfClipCheckpoint.parseConfig(json.readTree(HfClipCheckpoint.configJson(c))))
        .isEqualTo(c);

    assertThatThrownBy(
            () ->
                HfClipCheckpoint.parseConfig(
                    json.readTree(
                        """
                        {"model_type": "chinese_clip",
                         "text_config": {"position_embedding_type": "relative_key"},
                         "vision_config": {}}
                        """)))
        .hasMessageContaining("text_config.position_embedding_type relative_key");

    Path ck = dir.resolve("no-vocab");
    writeTinyChineseClip(ck, 1);
    Files.delete(ck.resolve("vocab.txt"));
    assertThatThrownBy(() -> HfClipCheckpoint.load(ck))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lacks tokenizer.json and vocab.txt");
  }
}
