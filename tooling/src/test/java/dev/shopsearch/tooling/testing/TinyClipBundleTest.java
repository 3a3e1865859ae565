package dev.shopsearch.tooling.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.text.BundleTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyClipBundleTest {
  @TempDir Path tmp;

  @Test
  void createsALoadableDeterministicBundle() {
    ModelBundle a = TinyClipBundle.create(tmp.resolve("a"), 7);
    ModelBundle b = TinyClipBundle.create(tmp.resolve("b"), 7);
    ModelBundle c = TinyClipBundle.create(tmp.resolve("c"), 8);
    assertThat(a.manifest().contentHash()).isEqualTo(b.manifest().contentHash());
    assertThat(a.manifest().contentHash()).isNotEqualTo(c.manifest().contentHash());
    assertThat(a.manifest().dim()).isEqualTo(TinyClipBundle.DIM);
    ModelBundle reloaded = ModelBundle.load(a.dir());
    reloaded.verifyContentHash();
    assertThat(reloaded.manifest().metadata()).isEqualTo(a.manifest().metadata());
  }

  @Test
  void everyVocabularyWordIsKnownToTheTokenizer() {
    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("t"), 1);
    try (BundleTokenizer tok = BundleTokenizer.load(bundle)) {
      for (String word : TinyClipBundle.VOCABULARY) {
        long[] ids = tok.ids(word);
        assertThat(ids).as(word).doesNotContain(0L).startsWith(1L).endsWith(2L);
      }
      assertThat(tok.ids("红色碎花连衣裙")).hasSize(2 + 7);
    }
  }

  @Test
  void encodesTextAndImages() {
    ModelBundle bundle = TinyClipBundle.create(tmp.resolve("e"), 3);
    try (TextEncoder text = Encoders.text(bundle, EncoderOptions.cpu());
        ImageEncoder image = Encoders.image(bundle, EncoderOptions.cpu())) {
      List<float[]> v = text.encode(List.of("red floral dress", "红色碎花连衣裙", "red floral dress"));
      assertThat(v.get(0)).hasSize(TinyClipBundle.DIM).isEqualTo(v.get(2));
      assertThat(v.get(0)).isNotEqualTo(v.get(1));
      assertThat(norm(v.get(1))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));

      float[] black = new float[3 * 32 * 32];
      float[] bright = new float[3 * 32 * 32];
      java.util.Arrays.fill(bright, 1.5f);
      List<float[]> imgs = image.encode(List.of(black, bright));
      assertThat(imgs.get(0)).hasSize(TinyClipBundle.DIM).isNotEqualTo(imgs.get(1));
      assertThat(norm(imgs.get(0))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    }
  }

  @Test
  void siglipVariantTokenisesWholeWordsAndEncodes() {
    ModelBundle bundle = TinyClipBundle.createSiglip(tmp.resolve("siglip"), 3);
    assertThat(bundle.manifest().name()).isEqualTo("tiny-siglip");
    assertThat(bundle.manifest().dim()).isEqualTo(TinyClipBundle.DIM);
    assertThat(bundle.manifest().imageSpec().centerCrop()).isFalse();
    assertThat(bundle.manifest().imageSpec().mean()).containsExactly(0.5f, 0.5f, 0.5f);
    try (BundleTokenizer tok = BundleTokenizer.load(bundle)) {
      for (String word : TinyClipBundle.VOCABULARY) {
        assertThat(tok.ids(word)).as(word).doesNotContain(0L, 2L).endsWith(1L);
      }
      assertThat(tok.ids("Red")).hasSize(2); // ▁red </s>
    }
    try (TextEncoder text = Encoders.text(bundle, EncoderOptions.cpu());
        ImageEncoder image = Encoders.image(bundle, EncoderOptions.cpu())) {
      List<float[]> v = text.encode(List.of("Red Dress", "红色连衣裙", "red dress"));
      assertThat(v.get(0)).hasSize(TinyClipBundle.DIM).isEqualTo(v.get(2));
      assertThat(v.get(0)).isNotEqualTo(v.get(1));
      assertThat(norm(v.get(1))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
      float[] black = new float[3 * 32 * 32];
      float[] bright = new float[3 * 32 * 32];
      java.util.Arrays.fill(bright, 1.5f);
      List<float[]> imgs = image.encode(List.of(black, bright));
      assertThat(imgs.get(0)).hasSize(TinyClipBundle.DIM).isNotEqualTo(imgs.get(1));
      assertThat(norm(imgs.get(0))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    }
  }

  @Test
  void chineseClipVariantTokenisesEveryWordAndEncodes() {
    ModelBundle bundle = TinyClipBundle.createChineseClip(tmp.resolve("cn"), 3);
    assertThat(bundle.manifest().name()).isEqualTo("tiny-chinese-clip");
    assertThat(bundle.manifest().dim()).isEqualTo(TinyClipBundle.DIM);
    try (BundleTokenizer tok = BundleTokenizer.load(bundle)) {
      for (String word : TinyClipBundle.VOCABULARY) {
        assertThat(tok.ids(word)).as(word).doesNotContain(0L, 1L).startsWith(2L).endsWith(3L);
      }
      assertThat(tok.ids("红色连衣裙")).hasSize(2 + 5); // one WordPiece per character
    }
    try (TextEncoder text = Encoders.text(bundle, EncoderOptions.cpu())) {
      List<float[]> v = text.encode(List.of("Red Dress", "红色连衣裙", "red dress"));
      assertThat(v.get(0)).hasSize(TinyClipBundle.DIM).isEqualTo(v.get(2));
      assertThat(v.get(0)).isNotEqualTo(v.get(1));
      assertThat(norm(v.get(1))).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    }
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += f * f;
    }
    return Math.sqrt(s);
  }
}
