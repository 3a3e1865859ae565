package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderFormatsTest {
  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void jpegRgbBaselineAndProgressive() {
    BufferedImage src = TestImages.quadrants(64, 48, RED, GREEN, BLUE, WHITE);
    for (byte[] jpeg : List.of(TestImages.encode(src, "jpeg"), TestImages.progressiveJpeg(src))) {
      BufferedImage img = decoder.decode(jpeg);
      assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
      assertThat(img.getWidth()).isEqualTo(64);
      assertThat(img.getHeight()).isEqualTo(48);
      assertCorners(img, RED, GREEN, BLUE, WHITE, 12);
    }
  }

  @Test
  void jpegGrayscaleCopiesGrayToRgbWithoutGammaChange() {
    BufferedImage gray = new BufferedImage(32, 16, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = gray.getRaster();
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 32; x++) {
        raster.setSample(x, y, 0, x < 16 ? 60 : 200);
      }
    }
    BufferedImage img = decoder.decode(TestImages.encode(gray, "jpeg"));
    int left = img.getRGB(4, 8) & 0xFFFFFF;
    int right = img.getRGB(28, 8) & 0xFFFFFF;
    assertThat(left >> 16).isEqualTo(left >> 8 & 0xFF).isEqualTo(left & 0xFF).isBetween(57, 63);
    assertThat(right >> 16)
        .isEqualTo(right >> 8 & 0xFF)
        .isEqualTo(right & 0xFF)
        .isBetween(197, 203);
  }

  @Test
  void jpegCmykAdobeInverted() {
    // Adobe CMYK is stored inverted: (0,255,255,255) = full cyan ink, all 255 = no ink.
    byte[] jpeg =
        TestImages.fourChannelJpeg(
            32, 16, new int[] {0, 255, 255, 255}, new int[] {255, 255, 255, 255}, 0);
    BufferedImage img = decoder.decode(jpeg);
    assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertClose(img.getRGB(4, 8), 0x00FFFF, 40);
    assertClose(img.getRGB(28, 8), WHITE, 10);
  }

  @Test
  void jpegYcck() {
    // YCCK: Y=0 (no CMY ink after Adobe inversion) with K stored 255 (no black) = white;
    // Y=255 (full CMY ink) = dark.
    byte[] jpeg =
        TestImages.fourChannelJpeg(
            32, 16, new int[] {0, 128, 128, 255}, new int[] {255, 128, 128, 255}, 2);
    BufferedImage img = decoder.decode(jpeg);
    assertClose(img.getRGB(4, 8), WHITE, 10);
    assertThat(luma(img.getRGB(28, 8))).isLessThan(40);
  }

  @Test
  void jpegWithEmbeddedIccProfileIsConvertedToSrgb() {
    BufferedImage gray = TestImages.quadrants(32, 16, 0x808080, 0x808080, 0x808080, 0x808080);
    byte[] plain = TestImages.encode(gray, "jpeg");
    byte[] linear =
        TestImages.withIccProfile(
            plain, java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
    assertCorners(decoder.decode(plain), 0x808080, 0x808080, 0x808080, 0x808080, 1);
    // Linear-light 128/255 is sRGB 188: the decoder outputs sRGB, not the file's raw values.
    assertCorners(decoder.decode(linear), 0xBCBCBC, 0xBCBCBC, 0xBCBCBC, 0xBCBCBC, 2);
  }

  /**
   * The same rule for WebP, whose decoder (libwebp) ignores profiles: a linear-light profile is
   * converted to sRGB as for JPEG; an sRGB profile leaves libwebp's pixels untouched.
   */
  @Test
  void webpWithEmbeddedIccProfileIsConvertedToSrgb() {
    BufferedImage gray = TestImages.quadrants(32, 16, 0x808080, 0x808080, 0x808080, 0x808080);
    byte[] plain = TestImages.losslessWebp(gray);
    byte[] linear =
        TestImages.webpExtended(
            plain,
            32,
            16,
            java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData(),
            null);
    byte[] srgb =
        TestImages.webpExtended(
            plain,
            32,
            16,
            java.awt.color.ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData(),
            null);
    assertCorners(decoder.decode(plain), 0x808080, 0x808080, 0x808080, 0x808080, 0);
    assertCorners(decoder.decode(linear), 0xBCBCBC, 0xBCBCBC, 0xBCBCBC, 0xBCBCBC, 2);
    assertCorners(decoder.decode(srgb), 0x808080, 0x808080, 0x808080, 0x808080, 0);
  }

  @Test
  void pngRgbIsExact() {
    BufferedImage src = TestImages.noise(37, 23, 1, BufferedImage.TYPE_INT_RGB);
    assertSamePixels(decoder.decode(TestImages.encode(src, "png")), src);
  }

  @Test
  void pngAlphaIsCompositedOnWhite() {
    BufferedImage src = TestImages.noise(31, 17, 2, BufferedImage.TYPE_INT_ARGB);
    Random random = new Random(3);
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 31; x++) {
        int alpha = x == 0 ? 0 : x == 1 ? 255 : random.nextInt(256);
        src.setRGB(x, y, alpha << 24 | (src.getRGB(x, y) & 0xFFFFFF));
      }
    }
    BufferedImage img = decoder.decode(TestImages.encode(src, "png"));
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 31; x++) {
        int p = src.getRGB(x, y);
        int a = p >>> 24;
        int expected = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
          int c = p >> shift & 0xFF;
          expected |= (int) Math.round((c * a + 255.0 * (255 - a)) / 255.0) << shift;
        }
        assertThat(img.getRGB(x, y) & 0xFFFFFF).as("pixel %d,%d", x, y).isEqualTo(expected);
      }
    }
    assertThat(img.getRGB(0, 5) & 0xFFFFFF).isEqualTo(WHITE);
  }

  @Test
  void pngPaletteWithTransparentIndex() {
    byte[] r = {(byte) 255, 0, 0, 10};
    byte[] g = {0, (byte) 255, 0, 20};
    byte[] b = {0, 0, (byte) 255, 30};
    byte[] a = {(byte) 255, (byte) 255, (byte) 255, 0};
    IndexColorModel palette = new IndexColorModel(2, 4, r, g, b, a);
    BufferedImage src = new BufferedImage(8, 2, BufferedImage.TYPE_BYTE_BINARY, palette);
    for (int x = 0; x < 8; x++) {
      src.getRaster().setSample(x, 0, 0, x % 4);
      src.getRaster().setSample(x, 1, 0, 3 - x % 4);
    }
    BufferedImage img = decoder.decode(TestImages.encode(src, "png"));
    assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(RED);
    assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(GREEN);
    assertThat(img.getRGB(2, 0) & 0xFFFFFF).isEqualTo(BLUE);
    assertThat(img.getRGB(3, 0) & 0xFFFFFF).isEqualTo(WHITE);
    assertThat(img.getRGB(0, 1) & 0xFFFFFF).isEqualTo(WHITE);
  }

  @Test
  void png16BitRgbAndGrayRoundToEightBits() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            new int[] {16, 16, 16},
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(19, 7);
    BufferedImage rgb16 = new BufferedImage(cm, raster, false, null);
    BufferedImage gray16 = new BufferedImage(19, 7, BufferedImage.TYPE_USHORT_GRAY);
    Random random = new Random(4);
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 19; x++) {
        for (int band = 0; band < 3; band++) {
          raster.setSample(x, y, band, random.nextInt(65536));
        }
        gray16.getRaster().setSample(x, y, 0, random.nextInt(65536));
      }
    }
    BufferedImage img = decoder.decode(TestImages.encode(rgb16, "png"));
    BufferedImage gray = decoder.decode(TestImages.encode(gray16, "png"));
    for (int y = 0; y < 7; y++) {
      for (int x = 0; x < 19; x++) {
        int expected = 0;
        for (int band = 0; band < 3; band++) {
          expected |= to8(raster.getSample(x, y, band)) << (16 - 8 * band);
        }
        assertThat(img.getRGB(x, y) & 0xFFFFFF).as("rgb16 %d,%d", x, y).isEqualTo(expected);
        int v = to8(gray16.getRaster().getSample(x, y, 0));
        assertThat(gray.getRGB(x, y) & 0xFFFFFF)
            .as("gray16 %d,%d", x, y)
            .isEqualTo(v << 16 | v << 8 | v);
      }
    }
  }

  @Test
  void png8BitGrayIsCopiedNotGammaConverted() {
    BufferedImage src = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
    for (int x = 0; x < 256; x++) {
      src.getRaster().setSample(x, 0, 0, x);
    }
    BufferedImage img = decoder.decode(TestImages.encode(src, "png"));
    for (int x = 0; x < 256; x++) {
      assertThat(img.getRGB(x, 0) & 0xFFFFFF).isEqualTo(x << 16 | x << 8 | x);
    }
  }

  @Test
  void gifTakesTheFirstFrame() {
    byte[] gif = TestImages.animatedGif(12, 9, List.of(RED, GREEN, BLUE));
    BufferedImage img = decoder.decode(gif);
    assertThat(img.getWidth()).isEqualTo(12);
    assertThat(img.getHeight()).isEqualTo(9);
    assertCorners(img, RED, RED, RED, RED, 0);
  }

  @Test
  void bmpIsExact() {
    BufferedImage src = TestImages.noise(29, 13, 5, BufferedImage.TYPE_INT_RGB);
    assertSamePixels(decoder.decode(TestImages.encode(src, "bmp")), src);
  }

  @Test
  void handMadeLosslessWebp() {
    BufferedImage opaque = decoder.decode(TestImages.solidWebp(5, 3, 0xFFC86432));
    assertThat(opaque.getWidth()).isEqualTo(5);
    assertThat(opaque.getHeight()).isEqualTo(3);
    assertCorners(opaque, 0xC86432, 0xC86432, 0xC86432, 0xC86432, 0);

    BufferedImage translucent = decoder.decode(TestImages.solidWebp(4, 4, 0x80C86432));
    int expected =
        (int) Math.round((200 * 128 + 255.0 * 127) / 255) << 16
            | (int) Math.round((100 * 128 + 255.0 * 127) / 255) << 8
            | (int) Math.round((50 * 128 + 255.0 * 127) / 255);
    assertCorners(translucent, expected, expected, expected, expected, 0);
  }

  @Test
  void cwebpLosslessIsExactAndLossyIsClose(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path cwebp = Path.of("/usr/bin/cwebp");
    assumeTrue(Files.isExecutable(cwebp), "skipping: cwebp absent (Debian package 'webp')");
    BufferedImage noise = TestImages.noise(41, 27, 6, BufferedImage.TYPE_INT_RGB);
    Path png = dir.resolve("noise.png");
    Files.write(png, TestImages.encode(noise, "png"));
    Path lossless = dir.resolve("lossless.webp");
    ExternalProcess.runOk(
        List.of(
            cwebp.toString(), "-quiet", "-lossless", png.toString(), "-o", lossless.toString()));
    assertSamePixels(decoder.decode(Files.readAllBytes(lossless)), noise);

    Path quadrants = dir.resolve("quadrants.png");
    Files.write(
        quadrants, TestImages.encode(TestImages.quadrants(64, 48, RED, GREEN, BLUE, WHITE), "png"));
    Path lossy = dir.resolve("lossy.webp");
    ExternalProcess.runOk(
        List.of(
            cwebp.toString(), "-quiet", "-q", "95", quadrants.toString(), "-o", lossy.toString()));
    assertCorners(decoder.decode(Files.readAllBytes(lossy)), RED, GREEN, BLUE, WHITE, 24);
  }

  static int to8(int v16) {
    return (int) Math.round(v16 * 255.0 / 65535.0);
  }

  static void assertSamePixels(BufferedImage actual, BufferedImage expected) {
    assertThat(actual.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
    assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
    for (int y = 0; y < expected.getHeight(); y++) {
      for (int x = 0; x < expected.getWidth(); x++) {
        assertThat(actual.getRGB(x, y) & 0xFFFFFF)
            .as("pixel %d,%d", x, y)
            .isEqualTo(expected.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  /** Checks pixels 3 px inside each corner. */
  static void assertCorners(BufferedImage img, int tl, int tr, int bl, int br, int tolerance) {
    int w = img.getWidth() - 1;
    int h = img.getHeight() - 1;
    int in = Math.min(3, Math.min(w, h) / 4);
    assertClose(img.getRGB(in, in), tl, tolerance);
    assertClose(img.getRGB(w - in, in), tr, tolerance);
    assertClose(img.getRGB(in, h - in), bl, tolerance);
    assertClose(img.getRGB(w - in, h - in), br, tolerance);
  }

  static void assertClose(int actual, int expected, int tolerance) {
    for (int shift = 16; shift >= 0; shift -= 8) {
      assertThat(actual >> shift & 0xFF)
          .as("channel >> %d of %06X vs expected %06X", shift, actual & 0xFFFFFF, expected)
          .isCloseTo(expected >> shift & 0xFF, org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  private static int luma(int rgb) {
    return ((rgb >> 16 & 0xFF) * 299 + (rgb >> 8 & 0xFF) * 587 + (rgb & 0xFF) * 114) / 1000;
  }
}
