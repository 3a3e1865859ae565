package dev.shopsearch.trainer.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipBundleExportTest {

  @TempDir Path dir;

  ClipBundleExport.Options options(Path tokenizer) {
    return new ClipBundleExport.Options(
        "tiny-test",
        "1",
        tokenizer,
        new TextSpec("tokenizer.json", 16, true),
        ImageSpec.clip(32),
        Map.of("training", Map.of("epochs", 0)));
  }

  @Test
  void exportPassesParityLoadsAsBundleAndRoundTripsWeights() throws IOException {
    Path tok = TinyCatalog.tokenizer(dir);
    ClipConfig c = ClipConfig.tiny(TinyCatalog.vocabSize());
    try (NDManager m = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(c, m, 5)) {
      ModelBundle b = ClipBundleExport.export(dir.resolve("bundle"), p, options(tok), l -> {});
      assertThat(b.manifest().dim()).isEqualTo(c.embedDim());
      assertThat(b.manifest().metadata()).containsKey("training");
      b.verifyContentHash();
      ParityCheck.Report r = ParityCheck.measure(b, p, 3, 99);
      assertThat(r.ok()).isTrue();
      assertThat(r.textMaxDiff()).isLessThan(1e-4);
      try (TextEncoder te = Encoders.text(b, EncoderOptions.cpu())) {
        float[] v = te.encode("red striped shirt");
        assertThat(v).hasSize(c.embedDim());
      }
      // weights written as a Hugging Face checkpoint read back exactly
      HfClipCheckpoint.write(dir.resolve("weights"), p.toWeights(), tok);
      ClipWeights back = HfClipCheckpoint.load(dir.resolve("weights")).weights();
      assertThat(back.get("text_projection.weight").data())
          .containsExactly(p.toWeights().get("text_projection.weight").data());
      assertThat(dir).isDirectoryNotContaining(f -> f.getFileName().toString().contains(".tmp-"));
    }
  }

  @Test
  void corruptedExportFailsParityAndLeavesNoBundle() throws IOException {
    Path tok = TinyCatalog.tokenizer(dir);
    ClipConfig c = ClipConfig.tiny(TinyCatalog.vocabSize());
    try (NDManager m = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.random(c, m, 5)) {
      assertThatThrownBy(
              () ->
                  ClipBundleExport.export(
                      dir.resolve("bundle"),
                      p,
                      options(tok),
                      l -> {},
                      w -> perturb(w, "visual_projection.weight", 0.01f)))
          .isInstanceOf(ParityCheck.ParityException.class)
          .hasMessageContaining("image max|diff|");
      assertThat(dir.resolve("bundle")).doesNotExist();
      assertThat(dir).isDirectoryNotContaining(f -> f.getFileName().toString().contains(".tmp-"));
    }
  }

  static ClipWeights perturb(ClipWeights w, String name, float delta) {
    Map<String, ClipWeights.Tensor> t = new LinkedHashMap<>(w.tensors());
    ClipWeights.Tensor old = t.get(name);
    float[] d = old.data().clone();
    d[0] += delta; // one weight off by a small amount
    t.put(name, new ClipWeights.Tensor(old.shape(), d));
    return ClipWeights.of(w.config(), t);
  }
}
