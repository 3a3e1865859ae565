package dev.shopsearch.tooling.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.text.TestTokenizerJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipBundleExporterTest {
  private static final List<String> WORDS = List.of("red", "leather", "handbag", "blue", "dress");
  private static final byte[] TOKENIZER =
      TestTokenizerJson.wordLevel(WORDS, TestTokenizerJson.EOS).getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  @Test
  void exportedBundleEncodesLikeTheReference() {
    ClipConfig config = ClipConfig.tiny(TestTokenizerJson.FIRST_WORD + WORDS.size());
    ClipWeights weights = ClipGraphWriterTest.noisyWeights(config, 42);
    ModelBundle bundle =
        ClipBundleExporter.export(
            tmp.resolve("bundle"),
            config,
            weights,
            TOKENIZER,
            "tiny",
            "1",
            Map.of("run", "test"),
            new TextSpec("tokenizer.json", 16, true),
            ImageSpec.clip(32));

    assertThat(bundle.manifest().dim()).isEqualTo(32);
    assertThat(bundle.manifest().text().inputs()).containsExactly("input_ids", "attention_mask");
    assertThat(bundle.manifest().text().output()).isEqualTo("text_embeds");
    assertThat(bundle.manifest().text().pooling()).isEqualTo(Pooling.NONE);
    assertThat(bundle.manifest().image().inputs()).containsExactly("pixel_values");
    assertThat(bundle.manifest().image().output()).isEqualTo("image_embeds");
    assertThat(bundle.manifest().metadata()).containsEntry("run", "test").containsKey("clip");
    bundle.verifyContentHash();

    ClipReference ref = new ClipReference(config, weights);
    try (TextEncoder text = Encoders.text(bundle, EncoderOptions.cpu())) {
      List<float[]> got = text.encode(List.of("Red leather handbag", "blue"));
      long first = TestTokenizerJson.FIRST_WORD;
      float[] expected0 =
          ref.text(new long[] {1, first, first + 1, first + 2, 2}, new long[] {1, 1, 1, 1, 1});
      float[] expected1 = ref.text(new long[] {1, first + 3, 2}, new long[] {1, 1, 1});
      assertUnitAndClose(got.get(0), expected0);
      assertUnitAndClose(got.get(1), expected1);
    }
    try (ImageEncoder image = Encoders.image(bundle, EncoderOptions.cpu())) {
      assertThat(image.imageSize()).isEqualTo(32);
      SplittableRandom rnd = new SplittableRandom(1);
      float[] pixels = new float[3 * 32 * 32];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) rnd.nextGaussian();
      }
      assertUnitAndClose(image.encode(List.of(pixels)).get(0), ref.image(pixels));
    }
  }

  @Test
  void rejectsPiecesThatDoNotFit() {
    ClipConfig config = ClipConfig.tiny(TestTokenizerJson.FIRST_WORD + WORDS.size());
    ClipWeights weights = ClipWeights.random(config, 1);
    TextSpec text = new TextSpec("tokenizer.json", 16, true);
    assertThatThrownBy(
            () ->
                ClipBundleExporter.export(
                    tmp.resolve("a"),
                    config,
                    weights,
                    TOKENIZER,
                    "t",
                    "1",
                    null,
                    new TextSpec("tokenizer.json", 77, true),
                    ImageSpec.clip(32)))
        .hasMessageContaining(
            "textSpec.maxLength must be <= text.contextLength (32); maxLength=77");
    assertThatThrownBy(
            () ->
                ClipBundleExporter.export(
                    tmp.resolve("b"),
                    config,
                    weights,
                    TOKENIZER,
                    "t",
                    "1",
                    null,
                    text,
                    ImageSpec.clip(224)))
        .hasMessageContaining("imageSpec.size must equal image.imageSize (32); size=224");
    ClipConfig small = ClipConfig.tiny(5);
    assertThatThrownBy(
            () ->
                ClipBundleExporter.export(
                    tmp.resolve("c"),
                    small,
                    ClipWeights.random(small, 1),
                    TOKENIZER,
                    "t",
                    "1",
                    null,
                    text,
                    ImageSpec.clip(32)))
        .hasMessageContaining("token id 8 but text.vocabSize is 5");
    assertThatThrownBy(
            () ->
                ClipBundleExporter.export(
                    tmp.resolve("d"),
                    small,
                    weights,
                    TOKENIZER,
                    "t",
                    "1",
                    null,
                    text,
                    ImageSpec.clip(32)))
        .hasMessageContaining("weights were made for");
  }

  private static void assertUnitAndClose(float[] got, float[] raw) {
    double norm = 0;
    for (float f : raw) {
      norm += f * f;
    }
    norm = Math.sqrt(norm);
    double gotNorm = 0;
    double maxDiff = 0;
    for (int i = 0; i < got.length; i++) {
      gotNorm += got[i] * got[i];
      maxDiff = Math.max(maxDiff, Math.abs(got[i] - raw[i] / norm));
    }
    assertThat(got).hasSameSizeAs(raw);
    assertThat(Math.sqrt(gotNorm)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(maxDiff).isLessThanOrEqualTo(1e-5);
  }
}
