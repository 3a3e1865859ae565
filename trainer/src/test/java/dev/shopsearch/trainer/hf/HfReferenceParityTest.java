package dev.shopsearch.trainer.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.text.BundleTokenizer;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.cli.TrainerCli;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cross-implementation parity, one fixture per model family: a tiny random model written by Hugging
 * Face transformers is imported with {@code trainer import-hf}, and the exported ONNX towers must
 * reproduce the projected text and image features transformers computed for the same token ids and
 * pixels — the reference implementation, not this project's own DJL model.
 *
 * <ul>
 *   <li>{@code hf-reference/}: {@code CLIPModel}, transformers 5.17 / torch 2.11 ({@code
 *       make_reference.py}, run once on the lent GPU machine, which has them);
 *   <li>{@code hf-reference/chinese-clip/}: {@code ChineseCLIPModel} ({@code
 *       make_reference_chinese_clip.py}, transformers 5.17 / torch 2.11, run on the lent GPU
 *       machine 2026-12-04);
 *   <li>{@code hf-reference/open-clip/}: an open_clip {@code CLIP} (LAION layout, GELU) and the
 *       features open_clip's own {@code encode_text}/{@code encode_image} compute ({@code
 *       make_reference_open_clip.py}, open_clip 3.3.0 / torch 2.11 on the lent GPU machine
 *       2026-12-04); {@code OpenClipImportTest} also checks them against the HF-layout import of
 *       the same weights;
 *   <li>{@code hf-reference/siglip/}: {@code SiglipModel} with its Unigram {@code tokenizer.json},
 *       transformers 5.17 / torch 2.11 / tokenizers 0.23 ({@code make_reference_siglip.py}, run on
 *       the lent GPU machine): the bundle gets batch-padded ids and a mask while transformers ran
 *       SigLIP as it is used (ids padded to the context with the pad id, no mask), and the bundle's
 *       tokenizer must give the library's ids.
 * </ul>
 *
 * <p>A family whose fixture is not committed yet is skipped, saying how to make it.
 */
class HfReferenceParityTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "hf-reference",
        "hf-reference/chinese-clip",
        "hf-reference/open-clip",
        "hf-reference/siglip"
      })
  void importedTowersMatchTransformersOnTheSameInputs(String fixture) throws Exception {
    assumeTrue(
        HfReferenceParityTest.class.getResource("/" + fixture + "/reference.json") != null,
        "no transformers fixture in src/test/resources/"
            + fixture
            + ": run its make_reference*.py with OUT=trainer/src/test/resources/"
            + fixture
            + " where transformers is installed and commit the files"
            + " (src/test/resources/hf-reference/README.md)");
    Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
    for (String f :
        new String[] {
          "config.json",
          "model.safetensors",
          "vocab.txt",
          OpenClipConfig.FILE,
          OpenClipCheckpoint.WEIGHTS,
          "tokenizer.json",
          "preprocessor_config.json"
        }) {
      if (HfReferenceParityTest.class.getResource("/" + fixture + "/" + f) != null) {
        try (InputStream in = resource(fixture, f)) {
          Files.copy(in, ckpt.resolve(f));
        }
      }
    }
    if (!Files.exists(ckpt.resolve("vocab.txt")) && !Files.exists(ckpt.resolve("tokenizer.json"))) {
      TinyCatalog.tokenizer(ckpt); // import-hf needs a tokenizer.json; ids are fed directly below
    }
    JsonNode ref;
    try (InputStream in = resource(fixture, "reference.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    Path out = dir.resolve("bundle");
    assertThat(TrainerCli.execute("import-hf", ckpt.toString(), "--out", out.toString())).isZero();

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[][] ids = longs(ref.get("input_ids"));
    long[][] mask = longs(ref.get("attention_mask"));
    float[][] text;
    try (OrtSession s = env.createSession(out.resolve("text.onnx").toString());
        OnnxTensor idT = tensor(env, ids);
        OnnxTensor maskT = tensor(env, mask);
        OrtSession.Result r = s.run(Map.of("input_ids", idT, "attention_mask", maskT))) {
      text = (float[][]) r.get(0).getValue();
    }
    float[] px = new float[ref.get("pixel_values").size()];
    for (int i = 0; i < px.length; i++) {
      px[i] = (float) ref.get("pixel_values").get(i).asDouble();
    }
    float[][] image;
    try (OrtSession s = env.createSession(out.resolve("image.onnx").toString());
        OnnxTensor p =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(px), new long[] {3, 3, 32, 32});
        OrtSession.Result r = s.run(Map.of("pixel_values", p))) {
      image = (float[][]) r.get(0).getValue();
    }
    assertClose("text", text, ref.get("text_embeds"));
    assertClose("image", image, ref.get("image_embeds"));
    // The fixture's own tokenizer, where it has one: the bundle tokenises as the library did.
    if (ref.has("tokenized")) {
      try (BundleTokenizer tok = BundleTokenizer.load(ModelBundle.load(out))) {
        for (var e : ref.get("tokenized").properties()) {
          assertThat(tok.ids(e.getKey()))
              .as("tokens of '%s'", e.getKey())
              .containsExactly(row(e.getValue()));
        }
      }
    }
  }

  private static long[] row(JsonNode row) {
    long[] out = new long[row.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = row.get(i).asLong();
    }
    return out;
  }

  private static void assertClose(String what, float[][] got, JsonNode want) {
    assertThat(got).as(what + " rows").hasNumberOfRows(want.size());
    for (int r = 0; r < got.length; r++) {
      // The bundle may L2-normalise in the graph; compare directions and, if unnormalised, values.
      double dot = 0;
      double ng = 0;
      double nw = 0;
      for (int c = 0; c < got[r].length; c++) {
        double w = want.get(r).get(c).asDouble();
        dot += got[r][c] * w;
        ng += got[r][c] * got[r][c];
        nw += w * w;
      }
      assertThat(got[r]).as("%s row %d width", what, r).hasSize(want.get(r).size());
      assertThat(dot / Math.sqrt(ng * nw)).as("%s row %d cosine", what, r).isGreaterThan(0.99999);
      double scale = Math.abs(Math.sqrt(ng) - 1) < 1e-4 ? 1 / Math.sqrt(nw) : 1;
      for (int c = 0; c < got[r].length; c++) {
        assertThat((double) got[r][c])
            .as("%s[%d][%d]", what, r, c)
            .isCloseTo(
                want.get(r).get(c).asDouble() * scale,
                org.assertj.core.api.Assertions.within(1e-4));
      }
    }
  }

  private static long[][] longs(JsonNode rows) {
    long[][] out = new long[rows.size()][];
    for (int r = 0; r < out.length; r++) {
      out[r] = new long[rows.get(r).size()];
      for (int c = 0; c < out[r].length; c++) {
        out[r][c] = rows.get(r).get(c).asLong();
      }
    }
    return out;
  }

  private static OnnxTensor tensor(OrtEnvironment env, long[][] v) throws Exception {
    long[] flat = new long[v.length * v[0].length];
    for (int r = 0; r < v.length; r++) {
      System.arraycopy(v[r], 0, flat, r * v[0].length, v[0].length);
    }
    return OnnxTensor.createTensor(env, LongBuffer.wrap(flat), new long[] {v.length, v[0].length});
  }

  private static InputStream resource(String fixture, String name) {
    InputStream in = HfReferenceParityTest.class.getResourceAsStream("/" + fixture + "/" + name);
    assertThat(in).as("test resource " + fixture + "/" + name).isNotNull();
    return in;
  }
}
