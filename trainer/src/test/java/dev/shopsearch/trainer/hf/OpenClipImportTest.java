package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.cli.TrainerCli;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.export.ParityCheck;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * open_clip import (issue 15): a tiny random checkpoint is written in open_clip's layout (state
 * dict names of open_clip's {@code CLIP}: fused {@code in_proj_weight}, {@code x @ proj}
 * projections, {@code ln_1}/{@code c_fc}, ...) and the same weights in Hugging Face's {@code
 * CLIPModel} layout; both go through {@code trainer import-hf} and the towers must give the same
 * numbers. The HF path is verified against transformers ({@code HfReferenceParityTest}), so this
 * carries that parity over to open_clip checkpoints.
 */
public class OpenClipImportTest {

  private static final String LAION_PREPROCESS =
      """
      {"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25],
       "interpolation": "bilinear", "resize_mode": "squash"}
      """;

  @TempDir Path dir;

  /** Tiny random CLIP weights, every tensor perturbed (biases and layer norms too). */
  public static ClipWeights tinyWeights(ClipConfig.Activation act, long seed) {
    ClipConfig tiny = ClipConfig.tiny(TinyCatalog.vocabSize());
    ClipConfig c = new ClipConfig(tiny.text(), tiny.image(), tiny.embedDim(), act, 1e-5f);
    SplittableRandom rnd = new SplittableRandom(seed + 1);
    Map<String, ClipWeights.Tensor> noisy = new LinkedHashMap<>();
    ClipWeights.random(c, seed)
        .tensors()
        .forEach(
            (k, v) -> {
              float[] d = v.data().clone();
              for (int i = 0; i < d.length; i++) {
                d[i] += (float) (rnd.nextGaussian() * 0.05);
              }
              noisy.put(k, new ClipWeights.Tensor(v.shape(), d));
            });
    return ClipWeights.of(c, noisy);
  }

  /**
   * Writes {@code w} as an open_clip checkpoint: {@code open_clip_config.json} ({@code model_cfg}
   * as open_clip's model_configs/*.json, plus {@code preprocess_cfg}), {@code
   * open_clip_model.safetensors} named as open_clip's {@code CLIP} state dict, and a
   * tokenizer.json. The layout is written from open_clip's modules, independently of the importer:
   * {@code nn.MultiheadAttention} stacks q, k, v rows into {@code in_proj_weight}; {@code
   * visual.proj} and {@code text_projection} are {@code [width, embed]} (applied as {@code x @ P}).
   *
   * @param customText text tower under {@code text.} ({@code custom_text: true})
   * @param preprocess the {@code preprocess_cfg} JSON object, or {@code null} to omit it
   */
  public static void writeOpenClip(
      Path dir, ClipWeights w, boolean customText, String preprocess, boolean scalarAsOne)
      throws IOException {
    Files.createDirectories(dir);
    ClipConfig c = w.config();
    Map<String, FloatTensor> sd = new LinkedHashMap<>();
    String tp = customText ? "text." : "";
    put(sd, tp + "positional_embedding", w.get("text_model.embeddings.position_embedding.weight"));
    put(sd, tp + "token_embedding.weight", w.get("text_model.embeddings.token_embedding.weight"));
    blocks(sd, w, tp + "transformer.resblocks.", "text_model.encoder.layers.", c.text().layers());
    put(sd, tp + "ln_final.weight", w.get("text_model.final_layer_norm.weight"));
    put(sd, tp + "ln_final.bias", w.get("text_model.final_layer_norm.bias"));
    sd.put(tp + "text_projection", transposed(w.get("text_projection.weight")));
    put(sd, "visual.class_embedding", w.get("vision_model.embeddings.class_embedding"));
    put(
        sd,
        "visual.positional_embedding",
        w.get("vision_model.embeddings.position_embedding.weight"));
    sd.put("visual.proj", transposed(w.get("visual_projection.weight")));
    put(sd, "visual.conv1.weight", w.get("vision_model.embeddings.patch_embedding.weight"));
    put(sd, "visual.ln_pre.weight", w.get("vision_model.pre_layrnorm.weight"));
    put(sd, "visual.ln_pre.bias", w.get("vision_model.pre_layrnorm.bias"));
    blocks(
        sd, w, "visual.transformer.resblocks.", "vision_model.encoder.layers.", c.image().layers());
    put(sd, "visual.ln_post.weight", w.get("vision_model.post_layernorm.weight"));
    put(sd, "visual.ln_post.bias", w.get("vision_model.post_layernorm.bias"));
    float scale = w.get("logit_scale").data()[0];
    sd.put(
        "logit_scale",
        new FloatTensor(scalarAsOne ? new long[] {1} : new long[0], new float[] {scale}));
    Safetensors.writeFloats(dir.resolve(OpenClipCheckpoint.WEIGHTS), sd, Map.of("format", "pt"));
    boolean quick = c.activation() == ClipConfig.Activation.QUICK_GELU;
    Files.writeString(
        dir.resolve(OpenClipConfig.FILE),
        """
        {"model_cfg": {"embed_dim": %d,%s%s
           "vision_cfg": {"image_size": %d, "layers": %d, "width": %d, "patch_size": %d,
             "head_width": %d},
           "text_cfg": {"context_length": %d, "vocab_size": %d, "width": %d, "heads": %d,
             "layers": %d}}%s}
        """
            .formatted(
                c.embedDim(),
                quick ? " \"quick_gelu\": true," : "",
                customText ? " \"custom_text\": true," : "",
                c.image().imageSize(),
                c.image().layers(),
                c.image().width(),
                c.image().patchSize(),
                c.image().headDim(),
                c.text().contextLength(),
                c.text().vocabSize(),
                c.text().width(),
                c.text().heads(),
                c.text().layers(),
                preprocess == null ? "" : ",\n \"preprocess_cfg\": " + preprocess));
    TinyCatalog.tokenizer(dir);
  }

  private static void blocks(
      Map<String, FloatTensor> sd, ClipWeights w, String oc, String hf, int layers) {
    for (int i = 0; i < layers; i++) {
      String o = oc + i + ".";
      String h = hf + i + ".self_attn.";
      for (String kind : new String[] {"weight", "bias"}) {
        ClipWeights.Tensor q = w.get(h + "q_proj." + kind);
        float[] qkv = new float[3 * q.data().length];
        int n = q.data().length;
        System.arraycopy(q.data(), 0, qkv, 0, n);
        System.arraycopy(w.get(h + "k_proj." + kind).data(), 0, qkv, n, n);
        System.arraycopy(w.get(h + "v_proj." + kind).data(), 0, qkv, 2 * n, n);
        long[] shape = q.longShape();
        shape[0] *= 3;
        sd.put(o + "attn.in_proj_" + kind, new FloatTensor(shape, qkv));
        put(sd, o + "attn.out_proj." + kind, w.get(h + "out_proj." + kind));
        put(sd, o + "ln_1." + kind, w.get(hf + i + ".layer_norm1." + kind));
        put(sd, o + "ln_2." + kind, w.get(hf + i + ".layer_norm2." + kind));
        put(sd, o + "mlp.c_fc." + kind, w.get(hf + i + ".mlp.fc1." + kind));
        put(sd, o + "mlp.c_proj." + kind, w.get(hf + i + ".mlp.fc2." + kind));
      }
    }
  }

  private static void put(Map<String, FloatTensor> sd, String name, ClipWeights.Tensor t) {
    sd.put(name, new FloatTensor(t.longShape(), t.data()));
  }

  private static FloatTensor transposed(ClipWeights.Tensor t) {
    int rows = t.shape()[0];
    int cols = t.shape()[1];
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[c * rows + r] = t.data()[r * cols + c];
      }
    }
    return new FloatTensor(new long[] {cols, rows}, out);
  }

  @Test
  void openClipAndHfLayoutsOfTheSameWeightsGiveTheSameTowers() throws Exception {
    ClipWeights w = tinyWeights(ClipConfig.Activation.GELU, 7);
    Path oc = dir.resolve("laion");
    writeOpenClip(oc, w, false, LAION_PREPROCESS, false);
    Path hf = dir.resolve("hf");
    HfClipCheckpoint.write(hf, w, oc.resolve("tokenizer.json"));

    OpenClipCheckpoint loaded = OpenClipCheckpoint.load(oc, null);
    assertThat(loaded.weights().config()).isEqualTo(w.config());
    assertThat(loaded.weights().tensors()).isEqualTo(w.tensors());

    Path ocBundle = dir.resolve("oc-bundle");
    Path hfBundle = dir.resolve("hf-bundle");
    assertThat(TrainerCli.execute("import-hf", oc.toString(), "--out", ocBundle.toString()))
        .isZero();
    assertThat(TrainerCli.execute("import-hf", hf.toString(), "--out", hfBundle.toString()))
        .isZero();

    long[][] ids = {{3, 5, 9, 12, 4, 0, 0}, {3, 6, 4, 0, 0, 0, 0}, {3, 7, 8, 10, 11, 13, 4}};
    long[][] mask = {{1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 1}};
    float[] px = new float[2 * 3 * 32 * 32];
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) rnd.nextGaussian();
    }
    float[][] ocText = text(ocBundle, ids, mask);
    float[][] hfText = text(hfBundle, ids, mask);
    float[][] ocImage = image(ocBundle, px);
    float[][] hfImage = image(hfBundle, px);
    for (int r = 0; r < ids.length; r++) {
      for (int c = 0; c < hfText[r].length; c++) {
        assertThat((double) ocText[r][c])
            .as("text[%d][%d]", r, c)
            .isCloseTo(hfText[r][c], within(1e-6));
      }
    }
    for (int r = 0; r < 2; r++) {
      for (int c = 0; c < hfImage[r].length; c++) {
        assertThat((double) ocImage[r][c])
            .as("image[%d][%d]", r, c)
            .isCloseTo(hfImage[r][c], within(1e-6));
      }
    }

    ModelBundle b = ModelBundle.load(ocBundle);
    var m = b.manifest();
    assertThat(m.metadata()).containsEntry("family", "open_clip");
    assertThat(
            new ObjectMapper().valueToTree(m.metadata()).path("clip").path("activation").asText())
        .isEqualTo("GELU");
    ImageSpec spec = m.imageSpec();
    assertThat(spec.size()).isEqualTo(32);
    assertThat(spec.mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(spec.std()).containsExactly(0.25f, 0.25f, 0.25f);
    assertThat(spec.resize()).isEqualTo(ImageSpec.Resample.BILINEAR);
    assertThat(spec.centerCrop()).as("resize_mode squash").isFalse();
    assertThat(m.textSpec().maxLength()).isEqualTo(32);
    assertThat(m.textSpec().lowercase()).isTrue();

    try (NDManager nd = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(loaded.weights(), nd)) {
      ParityCheck.Report r = ParityCheck.measure(b, p, 5, 77);
      assertThat(r.ok()).as(r.summary()).isTrue();
    }
  }

  @Test
  void customTextQuickGeluAndAOneElementLogitScaleImport() throws Exception {
    ClipWeights w = tinyWeights(ClipConfig.Activation.QUICK_GELU, 9);
    Path oc = dir.resolve("openai-style");
    writeOpenClip(oc, w, true, null, true);
    OpenClipCheckpoint loaded = OpenClipCheckpoint.load(oc, null);
    assertThat(loaded.weights().config().activation()).isEqualTo(ClipConfig.Activation.QUICK_GELU);
    assertThat(loaded.weights().tensors()).isEqualTo(w.tensors());
    assertThat(loaded.imageSpec())
        .as("no preprocess_cfg: CLIP's")
        .usingRecursiveComparison()
        .isEqualTo(ImageSpec.clip(32));
  }

  @Test
  void weightsThatDoNotFitTheConfigAreListedByOpenClipName() throws Exception {
    ClipWeights w = tinyWeights(ClipConfig.Activation.GELU, 3);
    Path oc = dir.resolve("oc");
    writeOpenClip(oc, w, false, null, false);
    Map<String, FloatTensor> sd = Safetensors.readFloats(oc.resolve(OpenClipCheckpoint.WEIGHTS));
    sd.remove("visual.ln_post.bias");
    sd.put("logit_bias", new FloatTensor(new long[0], new float[] {-10}));
    FloatTensor proj = sd.get("visual.proj");
    sd.put(
        "visual.proj", new FloatTensor(new long[] {proj.shape()[1], proj.shape()[0]}, proj.data()));
    Safetensors.writeFloats(oc.resolve(OpenClipCheckpoint.WEIGHTS), sd, Map.of());
    assertThatThrownBy(() -> OpenClipCheckpoint.load(oc, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected logit_bias")
        .hasMessageContaining("missing visual.ln_post.bias")
        .hasMessageContaining("visual.proj has shape [32, 64], expected [64, 32]");
  }

  @Test
  void aPickleOnlyCheckpointIsRefusedSayingHowToConvertIt() throws Exception {
    Path oc = dir.resolve("bin-only");
    writeOpenClip(oc, tinyWeights(ClipConfig.Activation.GELU, 1), false, null, false);
    Files.delete(oc.resolve(OpenClipCheckpoint.WEIGHTS));
    Files.write(oc.resolve(OpenClipCheckpoint.PICKLE), new byte[] {(byte) 0x80, 2});
    assertThatThrownBy(() -> OpenClipCheckpoint.load(oc, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds only open_clip_pytorch_model.bin")
        .hasMessageContaining("st.save_file(")
        .hasMessageContaining("open_clip_model.safetensors");
  }

  @Test
  void theTokenizerComesFromTheDirectoryOrTheClipBpe() throws Exception {
    Path oc = dir.resolve("no-tok");
    writeOpenClip(oc, tinyWeights(ClipConfig.Activation.GELU, 1), false, null, false);
    Files.delete(oc.resolve("tokenizer.json"));
    assertThatThrownBy(() -> OpenClipCheckpoint.load(oc, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lacks tokenizer.json and bpe_simple_vocab_16e6.txt.gz")
        .hasMessageContaining("--bpe ../shared/tokenizers/clip/");
    Path bpe = SharedData.require("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    assertThatThrownBy(() -> OpenClipCheckpoint.load(oc, bpe))
        .hasMessageContaining("text_cfg.vocab_size=" + TinyCatalog.vocabSize())
        .hasMessageContaining("49408");
  }

  /** A tiny model with CLIP's real vocabulary imports with the BPE merges from ../shared. */
  @Test
  void importsWithClipBpeFromShared() throws Exception {
    Path bpe = SharedData.require("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    ClipConfig tiny = ClipConfig.tiny(49408);
    ClipWeights w =
        ClipWeights.random(
            new ClipConfig(
                tiny.text(), tiny.image(), tiny.embedDim(), ClipConfig.Activation.GELU, 1e-5f),
            4);
    Path oc = dir.resolve("bpe");
    writeOpenClip(oc, w, false, null, false);
    Files.delete(oc.resolve("tokenizer.json"));
    Path out = dir.resolve("bpe-bundle");
    assertThat(
            TrainerCli.execute(
                "import-hf", oc.toString(), "--bpe", bpe.toString(), "--out", out.toString()))
        .isZero();
    ModelBundle b = ModelBundle.load(out);
    long[] ids = dev.shopsearch.core.text.BundleTokenizer.load(b).ids("a red dress");
    assertThat(ids).startsWith(49406L).endsWith(49407L);
  }

  private static float[][] text(Path bundle, long[][] ids, long[][] mask) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(bundle.resolve("text.onnx").toString());
        OnnxTensor i = longs(env, ids);
        OnnxTensor m = longs(env, mask);
        OrtSession.Result r = s.run(Map.of("input_ids", i, "attention_mask", m))) {
      return (float[][]) r.get(0).getValue();
    }
  }

  private static float[][] image(Path bundle, float[] px) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(bundle.resolve("image.onnx").toString());
        OnnxTensor p =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(px), new long[] {px.length / (3 * 32 * 32), 3, 32, 32});
        OrtSession.Result r = s.run(Map.of("pixel_values", p))) {
      return (float[][]) r.get(0).getValue();
    }
  }

  private static OnnxTensor longs(OrtEnvironment env, long[][] v) throws Exception {
    long[] flat = new long[v.length * v[0].length];
    for (int r = 0; r < v.length; r++) {
      System.arraycopy(v[r], 0, flat, r * v[0].length, v[0].length);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {v.length, v[0].length});
  }
}
