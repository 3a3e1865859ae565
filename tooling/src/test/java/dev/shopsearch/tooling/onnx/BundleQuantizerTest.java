package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleQuantizerTest {
  @TempDir Path tmp;

  @Test
  void writesAVerifiedInt8CopyThatEncodesCloseToTheOriginal() throws Exception {
    ModelBundle source = TinyClipBundle.create(tmp.resolve("fp32"), 3);

    BundleQuantizer.Result result =
        BundleQuantizer.quantize(source, tmp.resolve("int8"), BundleQuantizer.Options.defaults());

    ModelBundle q = result.bundle();
    q.verifyContentHash();
    assertThat(q.manifest().contentHash()).isNotEqualTo(source.manifest().contentHash());
    assertThat(q.manifest().version()).isEqualTo(source.manifest().version() + "+int8");
    @SuppressWarnings("unchecked")
    Map<String, Object> meta = (Map<String, Object>) q.manifest().metadata().get("quantization");
    assertThat(meta)
        .containsEntry("sourceContentHash", source.manifest().contentHash())
        .containsEntry("operator", "com.microsoft.DynamicQuantizeMatMul")
        .containsKey("fidelity");
    assertThat(result.reports()).containsOnlyKeys("text", "image");
    assertThat(result.fidelity().get("text").minCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(result.fidelity().get("image").minCosine()).isGreaterThanOrEqualTo(0.99);
    assertThat(result.fidelity().get("image").samples()).isEqualTo(16);
    assertThat(Files.size(q.resolve("text.onnx")))
        .isLessThan(Files.size(source.resolve("text.onnx")));
    // Tokenizer and every other file travel unchanged; no scratch directory is left behind.
    assertThat(Files.readAllBytes(q.resolve("tokenizer.json")))
        .isEqualTo(Files.readAllBytes(source.resolve("tokenizer.json")));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("fp32", "int8");
    }

    // Same ranking on a small gallery: each probe image's nearest probe text agrees.
    List<float[]> images = BundleQuantizer.probeImages(source.manifest().imageSpec(), 8, 5);
    try (TextEncoder ta = Encoders.text(source, EncoderOptions.cpu());
        TextEncoder tb = Encoders.text(q, EncoderOptions.cpu());
        ImageEncoder ia = Encoders.image(source, EncoderOptions.cpu());
        ImageEncoder ib = Encoders.image(q, EncoderOptions.cpu())) {
      List<float[]> a = ta.encode(List.of("red", "leather", "handbag"));
      List<float[]> b = tb.encode(List.of("red", "leather", "handbag"));
      assertThat(BundleQuantizer.fidelity(a, b).minCosine()).isGreaterThan(0.99);
      assertThat(BundleQuantizer.fidelity(ia.encode(images), ib.encode(images)).minCosine())
          .isGreaterThan(0.99);
      for (float[] v : b) {
        double norm = 0;
        for (float x : v) {
          norm += x * x;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
      }
    }
  }

  @Test
  void aCopyBelowTheCosineLimitIsNotWritten() {
    ModelBundle source = TinyClipBundle.create(tmp.resolve("fp32"), 3);
    BundleQuantizer.Options strict =
        new BundleQuantizer.Options(
            Set.of("text"), OnnxWeightQuantizer.Options.defaults(), 0.9999999, 0, 1);

    assertThatThrownBy(() -> BundleQuantizer.quantize(source, tmp.resolve("int8"), strict))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("int8 text tower drifts too far")
        .hasMessageContaining("below minCosine 0.9999999");
    assertThat(tmp.resolve("int8")).doesNotExist();
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("fp32");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesANonEmptyOutputDirectoryAndBadOptions() throws Exception {
    ModelBundle source = TinyClipBundle.create(tmp.resolve("fp32"), 3);
    Files.createDirectories(tmp.resolve("out"));
    Files.writeString(tmp.resolve("out/notes.txt"), "keep me");

    assertThatThrownBy(
            () ->
                BundleQuantizer.quantize(
                    source, tmp.resolve("out"), BundleQuantizer.Options.defaults()))
        .isInstanceOf(BundleException.class)
        .hasMessageContaining("is not empty");
    assertThat(Files.readString(tmp.resolve("out/notes.txt"))).isEqualTo("keep me");
    assertThatThrownBy(
            () ->
                new BundleQuantizer.Options(
                    Set.of("audio"), OnnxWeightQuantizer.Options.defaults(), 0.99, 0, 1))
        .hasMessageContaining("towers must be a non-empty subset of [text, image]");
  }
}
