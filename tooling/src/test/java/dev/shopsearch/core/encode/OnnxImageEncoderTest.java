package dev.shopsearch.core.encode;

import static dev.shopsearch.core.encode.TestBundles.IMAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.TowerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxImageEncoderTest {
  @TempDir Path tmp;

  private ModelBundle bundle(String name, TowerSpec image, byte[] imageOnnx, int dim) {
    return TestBundles.write(
        tmp.resolve(name),
        dim,
        HfClipLayout.textTower(),
        TestGraphs.pooledText(TestBundles.VOCAB, 8, dim, 31),
        image,
        imageOnnx,
        77,
        Map.of());
  }

  @Test
  void vectorsAreTheRawGraphOutputNormalised() throws Exception {
    ModelBundle b =
        bundle("pooled", HfClipLayout.imageTower(), TestGraphs.pooledImage(IMAGE_SIZE, 8, 32), 8);
    Random random = new Random(33);
    List<float[]> images = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      images.add(TestBundles.randomPixels(random));
    }
    try (ImageEncoder enc = Encoders.image(b, OnnxTextEncoderTest.ONE_THREAD)) {
      List<float[]> batch = enc.encode(images);
      for (int i = 0; i < images.size(); i++) {
        float[] raw =
            TestBundles.rawRunImage(
                b.resolve("image.onnx"), images.get(i), IMAGE_SIZE, "image_embeds");
        assertThat(batch.get(i)).containsExactly(TestBundles.normalized(raw), within(1e-5f));
      }
    }
  }

  @Test
  void clsAndMeanPoolingOverSymbolicPatchCount() throws Exception {
    int width = 16; // 3 * 8 * 8 / 16 = 12 patches, symbolic in the graph
    byte[] onnx = TestGraphs.hiddenImage(IMAGE_SIZE, width, 41);
    float[] pixels = TestBundles.randomPixels(new Random(42));
    float[] other = TestBundles.randomPixels(new Random(43));
    for (Pooling pooling : List.of(Pooling.CLS, Pooling.MEAN)) {
      ModelBundle b =
          bundle(
              "hidden-" + pooling,
              new TowerSpec(
                  "image.onnx", List.of("pixel_values"), "last_hidden_state", pooling, null),
              onnx,
              width);
      float[] hidden =
          TestBundles.rawRunImage(b.resolve("image.onnx"), pixels, IMAGE_SIZE, "last_hidden_state");
      float[] expected = new float[width];
      if (pooling == Pooling.CLS) {
        expected = Arrays.copyOf(hidden, width);
      } else {
        for (int p = 0; p < 12; p++) {
          for (int j = 0; j < width; j++) {
            expected[j] += hidden[p * width + j] / 12;
          }
        }
      }
      try (ImageEncoder enc = Encoders.image(b, OnnxTextEncoderTest.ONE_THREAD)) {
        List<float[]> got = enc.encode(List.of(other, pixels));
        assertThat(got.get(1))
            .as("pooling %s", pooling)
            .containsExactly(TestBundles.normalized(expected), within(1e-5f));
      }
    }
  }

  @Test
  void badPixelsAreRejected() {
    ModelBundle b =
        bundle("bad", HfClipLayout.imageTower(), TestGraphs.pooledImage(IMAGE_SIZE, 8, 51), 8);
    try (ImageEncoder enc = Encoders.image(b, OnnxTextEncoderTest.ONE_THREAD)) {
      assertThatThrownBy(() -> enc.encode(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("empty");
      assertThatThrownBy(() -> enc.encode(List.of(new float[192], new float[191])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 1 has 191 floats")
          .hasMessageContaining("192");
      assertThatThrownBy(() -> enc.encode(Arrays.asList(new float[192], null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("image 1");
      // An all-zero image gives a zero vector from this linear tower: a clear error, no NaNs.
      assertThatThrownBy(() -> enc.encode(List.of(new float[192])))
          .isInstanceOf(EncoderException.class)
          .hasMessageContaining("image 0");
    }
  }
}
