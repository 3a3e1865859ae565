package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.ImageSpec;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
  private static final float[] MEAN = ImageSpec.CLIP_MEAN;
  private static final float[] STD = ImageSpec.CLIP_STD;

  @Test
  void resizedSizeFollowsHuggingFace() {
    assertThat(ImagePreprocessor.resizedSize(1080, 1340, 224)).containsExactly(224, 277);
    assertThat(ImagePreprocessor.resizedSize(1340, 1080, 224)).containsExactly(277, 224);
    assertThat(ImagePreprocessor.resizedSize(224, 224, 224)).containsExactly(224, 224);
    assertThat(ImagePreprocessor.resizedSize(3, 7, 224)).containsExactly(224, 522);
    assertThat(ImagePreprocessor.resizedSize(1274, 1580, 336)).containsExactly(336, 416);
    assertThatThrownBy(() -> ImagePreprocessor.resizedSize(0, 5, 224))
        .hasMessageContaining("width=0");
  }

  @Test
  void constantImageNormalisesExactlyAtAnySize() {
    Random random = new Random(7);
    for (int i = 0; i < 12; i++) {
      int w = 1 + random.nextInt(400);
      int h = 1 + random.nextInt(400);
      int r = random.nextInt(256);
      int g = random.nextInt(256);
      int b = random.nextInt(256);
      BufferedImage img = solid(w, h, r << 16 | g << 8 | b);
      ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(32));
      float[] out = pre.preprocess(img);
      assertThat(out).hasSize(3 * 32 * 32);
      int plane = 32 * 32;
      assertThat(Arrays.copyOfRange(out, 0, plane)).containsOnly(norm(r, 0));
      assertThat(Arrays.copyOfRange(out, plane, 2 * plane)).containsOnly(norm(g, 1));
      assertThat(Arrays.copyOfRange(out, 2 * plane, 3 * plane)).containsOnly(norm(b, 2));
    }
  }

  @Test
  void windowEqualsCropOfFullResize() {
    Random random = new Random(8);
    for (PilResampler.Filter filter : PilResampler.Filter.values()) {
      for (int i = 0; i < 10; i++) {
        int w = 5 + random.nextInt(120);
        int h = 5 + random.nextInt(120);
        int[] src = noisePixels(w, h, random);
        int outW = 3 + random.nextInt(150);
        int outH = 3 + random.nextInt(150);
        int[] full = PilResampler.resize(src, w, h, outW, outH, 0, 0, outW, outH, filter);
        int cw = 1 + random.nextInt(outW);
        int ch = 1 + random.nextInt(outH);
        int x0 = random.nextInt(outW - cw + 1);
        int y0 = random.nextInt(outH - ch + 1);
        int[] window = PilResampler.resize(src, w, h, outW, outH, x0, y0, cw, ch, filter);
        for (int y = 0; y < ch; y++) {
          for (int x = 0; x < cw; x++) {
            assertThat(window[y * cw + x])
                .as("%s %dx%d -> %dx%d window at %d,%d", filter, w, h, outW, outH, x0 + x, y0 + y)
                .isEqualTo(full[(y0 + y) * outW + x0 + x]);
          }
        }
      }
    }
  }

  /**
   * Against a plain double-precision antialiased bicubic (no fixed point, no rounding between the
   * passes): the 8-bit rounding between passes may move a value by a little, never more.
   */
  @Test
  void closeToFloatingPointReference() {
    Random random = new Random(9);
    for (int i = 0; i < 8; i++) {
      int w = 20 + random.nextInt(200);
      int h = 20 + random.nextInt(200);
      int outW = 10 + random.nextInt(150);
      int outH = 10 + random.nextInt(150);
      int[] src = smoothPixels(w, h, random);
      int[] fast =
          PilResampler.resize(src, w, h, outW, outH, 0, 0, outW, outH, PilResampler.Filter.BICUBIC);
      double[][] reference = referenceBicubic(src, w, h, outW, outH);
      for (int c = 0; c < 3; c++) {
        int shift = 16 - 8 * c;
        for (int p = 0; p < outW * outH; p++) {
          double expected = Math.min(255, Math.max(0, reference[c][p]));
          assertThat((double) (fast[p] >> shift & 0xFF))
              .as("%dx%d -> %dx%d channel %d pixel %d", w, h, outW, outH, c, p)
              .isCloseTo(expected, org.assertj.core.data.Offset.offset(1.51));
        }
      }
    }
  }

  @Test
  void sameSizeImageIsCopiedUnchanged() {
    BufferedImage img = TestImages.noise(24, 24, 10, BufferedImage.TYPE_INT_RGB);
    ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(24));
    int[] out = pre.resizeAndCrop(img);
    assertThat(out).isEqualTo(((DataBufferInt) img.getRaster().getDataBuffer()).getData());
  }

  @Test
  void layoutIsChwAndCropIsCentred() {
    // 60x20, left third red, middle green, right third blue: the centre crop (20x20 of the
    // resized 60x20) keeps only green.
    BufferedImage img = new BufferedImage(60, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 60; x++) {
        img.setRGB(x, y, x < 20 ? 0xFF0000 : x < 40 ? 0x00FF00 : 0x0000FF);
      }
    }
    ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(20));
    float[] out = pre.preprocess(img);
    int plane = 400;
    for (int i = 0; i < plane; i++) {
      int x = i % 20;
      if (x >= 2 && x < 18) { // away from the edges bicubic blends in red/blue
        assertThat(out[i]).isEqualTo(norm(0, 0));
        assertThat(out[plane + i]).isEqualTo(norm(255, 1));
        assertThat(out[2 * plane + i]).isEqualTo(norm(0, 2));
      }
    }
    // Without centre crop the whole width is squashed in: red on the left, blue on the right.
    ImagePreprocessor squash =
        new ImagePreprocessor(new ImageSpec(20, ImageSpec.Resample.BICUBIC, false, null, null));
    float[] squashed = squash.preprocess(img);
    assertThat(squashed[10 * 20]).isEqualTo(norm(255, 0));
    assertThat(squashed[2 * plane + 10 * 20 + 19]).isEqualTo(norm(255, 2));
  }

  @Test
  void writesIntoABatchBufferAtAnOffset() {
    ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(16));
    int n = pre.tensorLength();
    BufferedImage a = TestImages.noise(40, 30, 1, BufferedImage.TYPE_INT_RGB);
    byte[] b = TestImages.encode(TestImages.noise(30, 50, 2, BufferedImage.TYPE_INT_RGB), "png");
    float[] batch = new float[2 * n + 5];
    Arrays.fill(batch, Float.NaN);
    pre.preprocess(a, batch, 2);
    pre.preprocess(b, batch, 2 + n);
    assertThat(Arrays.copyOfRange(batch, 2, 2 + n)).isEqualTo(pre.preprocess(a));
    assertThat(Arrays.copyOfRange(batch, 2 + n, 2 + 2 * n)).isEqualTo(pre.preprocess(b));
    assertThat(batch[0]).isNaN();
    assertThat(batch[1]).isNaN();
    assertThat(batch[2 * n + 2]).isNaN();
    assertThatThrownBy(() -> pre.preprocess(a, batch, n + 6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset " + (n + 6))
        .hasMessageContaining("tensor length " + n);
  }

  @Test
  void anyImageTypeGivesTheSameResult() {
    BufferedImage rgb = TestImages.noise(45, 33, 3, BufferedImage.TYPE_INT_RGB);
    BufferedImage bgr = new BufferedImage(45, 33, BufferedImage.TYPE_3BYTE_BGR);
    bgr.getGraphics().drawImage(rgb, 0, 0, null);
    ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(24));
    assertThat(pre.preprocess(bgr)).isEqualTo(pre.preprocess(rgb));
  }

  @Test
  void bilinearSpecUsesTheTriangleFilter() {
    BufferedImage img = TestImages.noise(80, 64, 4, BufferedImage.TYPE_INT_RGB);
    ImagePreprocessor bicubic = new ImagePreprocessor(ImageSpec.clip(32));
    ImagePreprocessor bilinear =
        new ImagePreprocessor(
            new ImageSpec(32, ImageSpec.Resample.BILINEAR, true, ImageSpec.CLIP_MEAN, null));
    assertThat(bilinear.preprocess(img)).isNotEqualTo(bicubic.preprocess(img));
  }

  private static float norm(int v, int c) {
    float scaled = (float) (v * (1.0 / 255.0));
    return (scaled - MEAN[c]) / STD[c];
  }

  private static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Arrays.fill(((DataBufferInt) img.getRaster().getDataBuffer()).getData(), rgb);
    return img;
  }

  private static int[] noisePixels(int w, int h, Random random) {
    int[] p = new int[w * h];
    for (int i = 0; i < p.length; i++) {
      p[i] = random.nextInt(1 << 24);
    }
    return p;
  }

  /** Smooth gradients plus a little noise, so overshoot and clipping stay rare. */
  private static int[] smoothPixels(int w, int h, Random random) {
    int[] p = new int[w * h];
    double fx = random.nextDouble() * 0.2;
    double fy = random.nextDouble() * 0.2;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (int) (127 + 100 * Math.sin(x * fx + y * fy)) + random.nextInt(8);
        int g = (int) (127 + 100 * Math.cos(x * fy - y * fx)) + random.nextInt(8);
        int b = (x * 255 / w + y * 255 / h) / 2;
        p[y * w + x] = r << 16 | g << 8 | b;
      }
    }
    return p;
  }

  private static double[][] referenceBicubic(int[] src, int w, int h, int outW, int outH) {
    double[][] horizontal = new double[3][outW * h];
    for (int c = 0; c < 3; c++) {
      int shift = 16 - 8 * c;
      for (int y = 0; y < h; y++) {
        final int row = y * w;
        for (int x = 0; x < outW; x++) {
          horizontal[c][y * outW + x] = sample(w, outW, x, i -> src[row + i] >> shift & 0xFF);
        }
      }
    }
    double[][] out = new double[3][outW * outH];
    for (int c = 0; c < 3; c++) {
      double[] hc = horizontal[c];
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          final int col = x;
          out[c][y * outW + x] = sample(h, outH, y, i -> hc[i * outW + col]);
        }
      }
    }
    return out;
  }

  /** Antialiased Keys cubic (a = -0.5) sample of a 1-D signal at output index {@code o}. */
  private static double sample(
      int in, int out, int o, java.util.function.IntToDoubleFunction value) {
    double scale = (double) in / out;
    double widen = Math.max(1.0, scale);
    double center = (o + 0.5) * scale;
    double sum = 0;
    double weights = 0;
    for (int i = (int) Math.floor(center - 2 * widen) - 1; i <= center + 2 * widen + 1; i++) {
      if (i < 0 || i >= in) {
        continue;
      }
      double t = Math.abs((i + 0.5 - center) / widen);
      double k =
          t < 1
              ? 1.5 * t * t * t - 2.5 * t * t + 1
              : t < 2 ? -0.5 * (t * t * t - 5 * t * t + 8 * t - 4) : 0;
      sum += k * value.applyAsDouble(i);
      weights += k;
    }
    return sum / weights;
  }
}
