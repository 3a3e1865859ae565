package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderFailuresTest {
  private final ImageDecoder decoder = new ImageDecoder();

  private final BufferedImage photo = TestImages.noise(120, 90, 11, BufferedImage.TYPE_INT_RGB);

  @Test
  void textNamedJpgIsNotAnImage() {
    byte[] text =
        "hello, this file is called product.jpg but it is text\n".getBytes(StandardCharsets.UTF_8);
    ImageDecodeException e = fails(text, Reason.NOT_AN_IMAGE);
    assertThat(e.getMessage()).contains("text").contains("hello, this file");

    byte[] html =
        "<!DOCTYPE html><html><body>404 Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
    assertThat(fails(html, Reason.NOT_AN_IMAGE).getMessage()).contains("<!DOCTYPE html>");

    assertThat(fails(new byte[0], Reason.NOT_AN_IMAGE).getMessage()).contains("empty");
    byte[] bm = "BMW X5 roof box, 420 litres, fits most rails".getBytes(StandardCharsets.UTF_8);
    assertThat(fails(bm, Reason.NOT_AN_IMAGE).getMessage()).contains("BMW X5");
    assertThat(
            fails(new byte[] {0, 1, 2, 3, (byte) 0xFE, 5, 6, 7, 8}, Reason.NOT_AN_IMAGE)
                .getMessage())
        .contains("00 01 02 03 fe")
        .contains("JPEG, PNG, GIF, BMP, WebP");
  }

  @Test
  void knownButUnsupportedFormats() {
    byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0};
    assertThat(fails(tiff, Reason.UNSUPPORTED).getMessage()).contains("TIFF");
    byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0};
    assertThat(fails(heic, Reason.UNSUPPORTED).getMessage()).contains("HEIF");
    byte[] avif = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0};
    assertThat(fails(avif, Reason.UNSUPPORTED).getMessage()).contains("AVIF");
    byte[] svg =
        "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(fails(svg, Reason.UNSUPPORTED).getMessage()).contains("SVG");
  }

  @Test
  void truncatedJpegs() {
    byte[] baseline = TestImages.encode(photo, "jpeg");
    assertThat(decoder.decode(baseline).getWidth()).isEqualTo(120);
    fails(TestImages.truncate(baseline, 0.5), Reason.TRUNCATED);
    fails(Arrays.copyOf(baseline, baseline.length - 2), Reason.TRUNCATED); // only EOI missing
    fails(Arrays.copyOf(baseline, 300), Reason.TRUNCATED); // inside the tables
    byte[] progressive = TestImages.progressiveJpeg(photo);
    assertThat(decoder.decode(progressive).getWidth()).isEqualTo(120);
    assertThat(fails(TestImages.truncate(progressive, 0.6), Reason.TRUNCATED).getMessage())
        .contains("truncated JPEG")
        .contains(String.valueOf((int) (progressive.length * 0.6)));
  }

  @Test
  void truncatedPngGifBmpWebp() {
    byte[] png = TestImages.encode(photo, "png");
    fails(TestImages.truncate(png, 0.5), Reason.TRUNCATED);
    fails(Arrays.copyOf(png, png.length - 12), Reason.TRUNCATED); // IEND missing
    byte[] gif =
        TestImages.encode(TestImages.noise(60, 40, 12, BufferedImage.TYPE_BYTE_INDEXED), "gif");
    assertThat(decoder.decode(gif).getWidth()).isEqualTo(60);
    fails(TestImages.truncate(gif, 0.5), Reason.TRUNCATED);
    byte[] bmp = TestImages.encode(photo, "bmp");
    fails(TestImages.truncate(bmp, 0.5), Reason.TRUNCATED);
    fails(Arrays.copyOf(bmp, bmp.length - 1), Reason.TRUNCATED);
    byte[] webp = TestImages.solidWebp(7, 7, 0xFF102030);
    fails(Arrays.copyOf(webp, webp.length - 3), Reason.TRUNCATED);
  }

  /**
   * A WebP cut inside its bitstream chunk whose RIFF size was patched to match: every container
   * field but the chunk's own size agrees, and decoders disagree on what to do (TwelveMonkeys
   * returned a partly blank image), so the chunk walk refuses it first.
   */
  @Test
  void webpChunkCutShortInsideAConsistentRiff() {
    byte[] webp = TestImages.losslessWebp(photo);
    byte[] cut = Arrays.copyOf(webp, webp.length / 2);
    java.nio.ByteBuffer.wrap(cut).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, cut.length - 8);
    assertThat(fails(cut, Reason.TRUNCATED).getMessage())
        .contains("truncated WebP")
        .contains("chunk 'VP8L' at byte 12 needs");
  }

  @Test
  void hugePngHeaderFailsBeforeAllocating() {
    byte[] png = TestImages.pngHeaderOnly(30000, 30000);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    decoder.decode(TestImages.encode(TestImages.noise(4, 4, 1, BufferedImage.TYPE_INT_RGB), "png"));
    long before = threads.getCurrentThreadAllocatedBytes();
    ImageDecodeException e = fails(png, Reason.TOO_LARGE);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(e.getMessage())
        .contains("30000x30000")
        .contains("900000000 pixels")
        .contains("40000000")
        .contains("maxPixels");
    // Decoding would need 30000 * 30000 * 3 bytes = 2.7 GB; refusing it takes a few kB.
    assertThat(allocated).as("bytes allocated while refusing").isLessThan(4L << 20);
  }

  @Test
  void hugeHeadersInEveryFormatAreRefused() {
    byte[] jpeg = TestImages.encode(photo, "jpeg");
    int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
    jpeg[sof + 5] = (byte) 0xEA; // height 60000
    jpeg[sof + 6] = (byte) 0x60;
    jpeg[sof + 7] = (byte) 0xEA; // width 60000
    jpeg[sof + 8] = (byte) 0x60;
    byte[] bmp = TestImages.encode(photo, "bmp");
    bmp[19] = 0x75; // width 30000 (0x7530), little-endian at offset 18
    bmp[18] = 0x30;
    bmp[23] = 0x75; // height 30000 at offset 22
    bmp[22] = 0x30;
    bmp[34] = 0x00; // biSizeImage = 30000 rows * 90000 bytes = 0xA0EEBB00, consistent with the rest
    bmp[35] = (byte) 0xBB;
    bmp[36] = (byte) 0xEE;
    bmp[37] = (byte) 0xA0;
    byte[] gif =
        TestImages.encode(TestImages.noise(60, 40, 12, BufferedImage.TYPE_BYTE_INDEXED), "gif");
    int descriptor = indexOf(gif, new byte[] {0x2C, 0, 0, 0, 0});
    for (int at : new int[] {6, descriptor + 5}) { // logical screen and first frame: 65535 x 65535
      gif[at] = gif[at + 1] = gif[at + 2] = gif[at + 3] = (byte) 0xFF;
    }
    byte[] webp = TestImages.solidWebp(16384, 16384, 0xFF336699);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (byte[] huge : List.of(jpeg, bmp, gif, webp)) {
      long before = threads.getCurrentThreadAllocatedBytes();
      assertThat(fails(huge, Reason.TOO_LARGE).getMessage()).contains("limit of 40000000 pixels");
      assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(8L << 20);
    }
  }

  @Test
  void limitsAreConfigurable(@TempDir Path dir) throws IOException {
    byte[] png = TestImages.encode(photo, "png");
    ImageDecoder smallPixels = new ImageDecoder(new DecodeLimits(1_000_000, 120 * 90 - 1));
    assertThat(expectFailure(smallPixels, png, Reason.TOO_LARGE).getMessage())
        .contains("120x90")
        .contains("10799");
    assertThat(new ImageDecoder(new DecodeLimits(1_000_000, 120 * 90)).decode(png).getWidth())
        .isEqualTo(120);

    ImageDecoder smallBytes = new ImageDecoder(new DecodeLimits(1000, 1_000_000));
    assertThat(expectFailure(smallBytes, png, Reason.TOO_LARGE).getMessage())
        .contains(png.length + " bytes")
        .contains("limit of 1000 bytes");
    ImageDecodeException stream =
        catchThrowableOfType(
            ImageDecodeException.class, () -> smallBytes.decode(new ByteArrayInputStream(png)));
    assertThat(stream.reason()).isEqualTo(Reason.TOO_LARGE);
    Path file = dir.resolve("big.png");
    Files.write(file, png);
    ImageDecodeException fromFile =
        catchThrowableOfType(ImageDecodeException.class, () -> smallBytes.decode(file));
    assertThat(fromFile.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(fromFile.getMessage()).contains("big.png");
    assertThat(decoder.decode(file).getWidth()).isEqualTo(120);
    assertThat(decoder.decode(new ByteArrayInputStream(png)).getWidth()).isEqualTo(120);

    assertThatThrownBy(() -> new DecodeLimits(0, 10)).hasMessageContaining("maxBytes=0");
    assertThatThrownBy(() -> new DecodeLimits(10, -1)).hasMessageContaining("maxPixels=-1");
  }

  @Test
  void corruptData() {
    byte[] png = TestImages.encode(photo, "png");
    int idat = indexOf(png, "IDAT".getBytes(StandardCharsets.ISO_8859_1));
    byte[] zeros = png.clone();
    // Keep the zlib header, zero the deflate stream: "invalid stored block lengths".
    Arrays.fill(zeros, idat + 6, idat + 60, (byte) 0);
    assertThat(fails(zeros, Reason.CORRUPT).getMessage()).startsWith("corrupt PNG");

    byte[] eoiFirst = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9, 0, 0, 0, 0};
    fails(eoiFirst, Reason.CORRUPT);

    byte[] jpeg = TestImages.encode(photo, "jpeg");
    int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
    byte[] zeroHeight = jpeg.clone();
    zeroHeight[sof + 5] = 0;
    zeroHeight[sof + 6] = 0;
    fails(zeroHeight, Reason.CORRUPT);
  }

  @Test
  void concurrentDecodesMatchSequentialOnes() throws Exception {
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      BufferedImage img = TestImages.noise(50 + i, 40, 100 + i, BufferedImage.TYPE_INT_RGB);
      inputs.add(TestImages.encode(img, i % 2 == 0 ? "jpeg" : "png"));
    }
    BufferedImage photoLike = TestImages.photoLike(61, 43, 9);
    inputs.add(TestImages.lossyWebp(photoLike));
    inputs.add(TestImages.lossyWebp(TestImages.withAlphaRamp(photoLike)));
    inputs.add(TestImages.losslessWebp(photoLike));
    List<int[]> expected = new ArrayList<>();
    for (byte[] input : inputs) {
      expected.add(pixels(decoder.decode(input)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> futures = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (byte[] input : inputs) {
          futures.add(pool.submit(() -> pixels(decoder.decode(input))));
        }
      }
      for (int i = 0; i < futures.size(); i++) {
        assertThat(futures.get(i).get()).isEqualTo(expected.get(i % inputs.size()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  private ImageDecodeException fails(byte[] bytes, Reason reason) {
    return expectFailure(decoder, bytes, reason);
  }

  private static ImageDecodeException expectFailure(
      ImageDecoder decoder, byte[] bytes, Reason reason) {
    ImageDecodeException e =
        catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(bytes));
    assertThat(e).as("expected %s", reason).isNotNull();
    assertThat(e.reason()).as("reason of '%s'", e.getMessage()).isEqualTo(reason);
    return e;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
