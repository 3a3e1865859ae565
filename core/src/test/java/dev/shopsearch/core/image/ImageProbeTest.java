package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageProbeTest {

  @Test
  void readsFormatAndSizeOfEveryFormat() {
    BufferedImage rgb = TestImages.noise(37, 23, 5, BufferedImage.TYPE_INT_RGB);
    Map<ImageFormat, byte[]> images =
        Map.of(
            ImageFormat.JPEG, TestImages.encode(rgb, "jpeg"),
            ImageFormat.PNG, TestImages.encode(rgb, "png"),
            ImageFormat.BMP, TestImages.encode(rgb, "bmp"),
            ImageFormat.GIF,
                TestImages.encode(
                    TestImages.noise(37, 23, 5, BufferedImage.TYPE_BYTE_INDEXED), "gif"),
            ImageFormat.WEBP, TestImages.solidWebp(37, 23, 0xFF102030));
    images.forEach(
        (format, bytes) ->
            assertThat(ImageProbe.probe(bytes)).isEqualTo(new ImageProbe.Header(format, 37, 23)));
  }

  @Test
  void readsOnlyTheHeaderOfAHugeOrExtremeImage() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ImageProbe.probe(TestImages.pngHeaderOnly(4, 4)); // warm up ImageIO
    long before = threads.getCurrentThreadAllocatedBytes();
    ImageProbe.Header tall = ImageProbe.probe(TestImages.pngHeaderOnly(1, 39_999_999));
    ImageProbe.Header big = ImageProbe.probe(TestImages.pngHeaderOnly(30_000, 30_000));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(tall).isEqualTo(new ImageProbe.Header(ImageFormat.PNG, 1, 39_999_999));
    assertThat(tall.pixels()).isEqualTo(39_999_999L);
    assertThat(big.pixels()).isEqualTo(900_000_000L);
    // Decoding either would take hundreds of megabytes; the headers take a few kilobytes.
    assertThat(allocated).as("bytes allocated by two probes").isLessThan(4L << 20);
  }

  @Test
  void refusesWhatIsNotAReadableImage() {
    assertThat(
            catchThrowableOfType(
                    ImageDecodeException.class,
                    () -> ImageProbe.probe("<html>".getBytes(StandardCharsets.US_ASCII)))
                .reason())
        .isEqualTo(Reason.NOT_AN_IMAGE);
    assertThat(
            catchThrowableOfType(
                    ImageDecodeException.class,
                    () -> ImageProbe.probe(new byte[] {'I', 'I', 0x2A, 0, 1, 2, 3, 4}))
                .reason())
        .isEqualTo(Reason.UNSUPPORTED);
    ImageDecodeException corrupt =
        catchThrowableOfType(
            ImageDecodeException.class,
            () -> ImageProbe.probe(java.util.Arrays.copyOf(TestImages.pngHeaderOnly(9, 9), 20)));
    assertThat(corrupt.reason()).isEqualTo(Reason.CORRUPT);
    assertThat(corrupt.getMessage()).contains("PNG").contains("header");
  }
}
