package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.BundleTokenizer;
import dev.shopsearch.core.text.SiglipTokenizerJson;
import dev.shopsearch.core.text.SiglipTokenizerJson.Piece;
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
 * SigLIP import (issue 15): a tiny random {@code SiglipModel} checkpoint in Hugging Face's layout
 * (config.json as google/siglip-* ships it, model.safetensors with the real key names and {@code
 * [1]}-shaped logit scale and bias, a SentencePiece Unigram tokenizer.json, SiglipImageProcessor's
 * preprocessor_config.json) goes through {@code trainer import-hf}; the exported ONNX towers must
 * reproduce the DJL model, also through the serving path (core's tokenizer and text encoder).
 */
public class SiglipImportTest {
  private static final String S = SiglipTokenizerJson.SPACE;

  /** Pieces of the tiny tokenizer (ids from 3). */
  public static final List<Piece> PIECES =
      List.of(
          new Piece(S + "red", -2),
          new Piece(S + "blue", -2),
          new Piece(S + "dress", -2),
          new Piece(S + "jeans", -2),
          new Piece(S + "shirt", -2),
          new Piece(S + "红色", -2),
          new Piece("连衣裙", -2),
          new Piece(S, -4),
          new Piece("s", -5),
          new Piece("e", -5),
          new Piece("d", -5),
          new Piece("r", -5));

  @TempDir Path dir;

  /**
   * Writes a tiny random SigLIP checkpoint ({@link ClipConfig#tinySiglip} over {@link #PIECES},
   * every tensor perturbed) with the position-id buffers a real one holds, which the import
   * ignores.
   */
  public static ClipWeights writeTinySiglip(Path dir, long seed) throws IOException {
    return writeTinySiglip(dir, seed, PIECES);
  }

  /** As {@link #writeTinySiglip(Path, long)} over the given SentencePiece pieces. */
  public static ClipWeights writeTinySiglip(Path dir, long seed, List<Piece> pieces)
      throws IOException {
    Files.createDirectories(dir);
    ClipConfig c = ClipConfig.tinySiglip(SiglipTokenizerJson.SPECIALS + pieces.size());
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
    int ctx = c.text().contextLength();
    t.put(
        "text_model.embeddings.position_ids", new FloatTensor(new long[] {1, ctx}, new float[ctx]));
    int patches = c.imagePositions();
    t.put(
        "vision_model.embeddings.position_ids",
        new FloatTensor(new long[] {1, patches}, new float[patches]));
    w.tensors()
        .forEach(
            (k, v) ->
                t.put(
                    k,
                    new FloatTensor(
                        v.shape().length == 0 ? new long[] {1} : v.longShape(), v.data())));
    Safetensors.writeFloats(dir.resolve("model.safetensors"), t, Map.of("format", "pt"));
    Files.writeString(
        dir.resolve("config.json"),
        """
        {"architectures": ["SiglipModel"], "model_type": "siglip", "initializer_factor": 1.0,
         "text_config": {"model_type": "siglip_text_model", "vocab_size": %d,
           "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
           "num_attention_heads": %d, "max_position_embeddings": %d,
           "hidden_act": "gelu_pytorch_tanh", "layer_norm_eps": 1e-06},
         "vision_config": {"model_type": "siglip_vision_model", "hidden_size": %d,
           "intermediate_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
           "image_size": %d, "patch_size": %d, "hidden_act": "gelu_pytorch_tanh",
           "layer_norm_eps": 1e-06}}
        """
            .formatted(
                c.text().vocabSize(),
                c.text().width(),
                c.text().mlpWidth(),
                c.text().layers(),
                c.text().heads(),
                ctx,
                c.image().width(),
                c.image().mlpWidth(),
                c.image().layers(),
                c.image().heads(),
                c.image().imageSize(),
                c.image().patchSize()));
    Files.writeString(dir.resolve("tokenizer.json"), SiglipTokenizerJson.build(pieces, ctx));
    Files.writeString(
        dir.resolve("preprocessor_config.json"),
        """
        {"do_normalize": true, "do_rescale": true, "do_resize": true,
         "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5],
         "image_processor_type": "SiglipImageProcessor", "processor_class": "SiglipProcessor",
         "resample": 3, "rescale_factor": 0.00392156862745098,
         "size": {"height": %d, "width": %d}}
        """
            .formatted(c.image().imageSize(), c.image().imageSize()));
    return w;
  }

  @Test
  void importedTowersReproduceTheDjlModelAlsoThroughTheServingPath() throws Exception {
    Path ck = dir.resolve("ck");
    ClipWeights written = writeTinySiglip(ck, 3);
    HfClipCheckpoint loaded = HfClipCheckpoint.load(ck);
    assertThat(loaded.weights().config()).isEqualTo(written.config());
    assertThat(loaded.weights().tensors()).isEqualTo(written.tensors());

    Path out = dir.resolve("bundle");
    assertThat(TrainerCli.execute("import-hf", ck.toString(), "--out", out.toString())).isZero();
    ModelBundle b = ModelBundle.load(out);
    var m = b.manifest();
    assertThat(m.dim()).isEqualTo(32);
    assertThat(m.textSpec().maxLength()).as("the context length").isEqualTo(16);
    assertThat(m.textSpec().lowercase()).isTrue();
    ImageSpec img = m.imageSpec();
    assertThat(img.centerCrop()).as("SigLIP resizes without crop").isFalse();
    assertThat(img.resize()).isEqualTo(ImageSpec.Resample.BICUBIC);
    assertThat(img.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(img.std()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(img.size()).isEqualTo(32);
    assertThat(m.metadata()).containsEntry("family", "siglip");
    JsonNode clip = new ObjectMapper().valueToTree(m.metadata()).path("clip");
    assertThat(clip.path("architecture").asText()).isEqualTo("siglip");
    assertThat(clip.path("padId").asInt()).isEqualTo(1);
    assertThat(clip.path("logitBias").asDouble())
        .isCloseTo(written.get("logit_bias").data()[0], within(1e-6));
    assertThat(clip.path("logitScale").asDouble())
        .isCloseTo(written.get("logit_scale").data()[0], within(1e-6));

    try (NDManager nd = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(loaded.weights(), nd)) {
      ParityCheck.Report r = ParityCheck.measure(b, p, 5, 77);
      assertThat(r.ok()).as(r.summary()).isTrue();

      // Serving path: core's tokenizer (the checkpoint's Unigram tokenizer.json) and text encoder.
      List<String> titles = List.of("Red Dress", "红色连衣裙", "blue jeans, red shirt!");
      BundleTokenizer tok = BundleTokenizer.load(b);
      TokenBatch batch = tok.encode(titles);
      assertThat(batch.row(0)).containsExactly(3L, 5L, 1L);
      assertThat(batch.row(1)).containsExactly(8L, 9L, 1L);
      assertThat(batch.row(2)).containsExactly(4L, 6L, 3L, 7L, 1L);
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
              .isCloseTo(flat[i * 32 + j], within(1e-4));
        }
      }
    }
  }

  @Test
  void djlTextTowerPadsToTheContextAndPoolsTheLastPosition() throws IOException {
    ClipWeights w = writeTinySiglip(dir.resolve("ck"), 5);
    try (NDManager nd = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(w, nd)) {
      DjlClip model = new DjlClip(p);
      long[] ids = {3, 5, 1, 0, 0, 3, 5, 1, 70, 70, 3, 6, 1, 0, 0, 3, 5, 1, 1, 1};
      long[] mask = {1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
      float[] padded =
          model
              .encodeText(nd.create(ids, new Shape(4, 5)), nd.create(mask, new Shape(4, 5)))
              .toFloatArray();
      float[] alone =
          model
              .encodeText(
                  nd.create(new long[] {3, 5, 1}, new Shape(1, 3)),
                  nd.create(new long[] {1, 1, 1}, new Shape(1, 3)))
              .toFloatArray();
      for (int j = 0; j < 32; j++) {
        assertThat((double) padded[j]).as("batch padding").isCloseTo(alone[j], within(1e-5));
        assertThat((double) padded[32 + j])
            .as("ids under the mask")
            .isCloseTo(alone[j], within(1e-5));
        assertThat((double) padded[96 + j]).as("pad id written").isCloseTo(alone[j], within(1e-5));
      }
      double diff = 0;
      for (int j = 0; j < 32; j++) {
        diff = Math.max(diff, Math.abs(padded[j] - padded[64 + j]));
      }
      assertThat(diff).as("another word").isGreaterThan(1e-3);
    }
  }

  @Test
  void configDefaultsAndWhatCannotBeImportedAreNamed() throws IOException {
    ObjectMapper json = new ObjectMapper();
    // google/siglip-base-patch16-224's config.json, abridged (defaults filled in).
    ClipConfig c =
        HfClipCheckpoint.parseConfig(
            json.readTree(
                """
                {"model_type": "siglip",
                 "text_config": {"model_type": "siglip_text_model"},
                 "vision_config": {"model_type": "siglip_vision_model"}}
                """));
    assertThat(c.siglip()).isEqualTo(new ClipConfig.Siglip(1));
    assertThat(c.text()).isEqualTo(new ClipConfig.TextTower(32000, 64, 768, 12, 12));
    assertThat(c.image()).isEqualTo(new ClipConfig.ImageTower(224, 16, 768, 12, 12));
    assertThat(c.embedDim()).isEqualTo(768);
    assertThat(c.activation()).isEqualTo(ClipConfig.Activation.GELU_TANH);
    assertThat(c.layerNormEps()).isEqualTo(1e-6f);
    assertThat(HfClipCheckpoint.configJson(c)).contains("\"model_type\" : \"siglip\"");
    assertThat(HfClipCheckpoint.parseConfig(json.readTree(HfClipCheckpoint.configJson(c))))
        .isEqualTo(c);

    assertThatThrownBy(
            () ->
                HfClipCheckpoint.parseConfig(
                    json.readTree(
                        """
                        {"model_type": "siglip", "text_config": {},
                         "vision_config": {"vision_use_head": false}}
                        """)))
        .hasMessageContaining("vision_use_head false");
    assertThatThrownBy(
            () ->
                HfClipCheckpoint.parseConfig(
                    json.readTree(
                        """
                        {"model_type": "siglip", "text_config": {"projection_size": 512},
                         "vision_config": {}}
                        """)))
        .hasMessageContaining("text_config.projection_size=512");
    assertThatThrownBy(
            () ->
                HfClipCheckpoint.parseConfig(
                    json.readTree(
                        """
                        {"model_type": "siglip", "text_config": {"hidden_size": 1152},
                         "vision_config": {"hidden_size": 1152, "intermediate_size": 4304}}
                        """)))
        .hasMessageContaining("vision_config.intermediate_size=4304");

    Path ck = dir.resolve("odd-size");
    writeTinySiglip(ck, 1);
    Files.writeString(
        ck.resolve("preprocessor_config.json"), "{\"size\": {\"height\": 48, \"width\": 48}}");
    HfClipCheckpoint loaded = HfClipCheckpoint.load(ck);
    assertThatThrownBy(loaded::imageSpec).hasMessageContaining("size.height=48");
    Files.delete(ck.resolve("preprocessor_config.json"));
    assertThat(loaded.imageSpec().centerCrop()).as("defaults without the file").isFalse();
    assertThat(loaded.imageSpec().mean()).containsExactly(0.5f, 0.5f, 0.5f);

    Files.delete(ck.resolve("tokenizer.json"));
    assertThatThrownBy(() -> HfClipCheckpoint.load(ck))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("SigLIP checkpoint")
        .hasMessageContaining("spiece.model alone is not converted");
  }
}
