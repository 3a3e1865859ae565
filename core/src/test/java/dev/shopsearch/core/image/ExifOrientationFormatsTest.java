package dev.shopsearch.core.image;

import static dev.shopsearch.core.image.ImageDecoderFormatsTest.assertCorners;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One EXIF orientation rule for every format that carries EXIF: the orientation in the JPEG APP1
 * {@code Exif} segment, the PNG {@code eXIf} chunk and the WebP {@code EXIF} chunk is applied the
 * same way (as Pillow's {@code ImageOps.exif_transpose}), and Pillow itself agrees pixel for pixel.
 */
class ExifOrientationFormatsTest {
  private static final int RED = 0xFF0000;
  private static final int GREEN = 0x00FF00;
  private static final int BLUE = 0x0000FF;
  private static final int WHITE = 0xFFFFFF;

  /** TL, TR, BL, BR after each orientation of a stored image with quadrants R, G, B, W. */
  private static final String[] CORNERS = {
    null, "RGBW", "GRWB", "WBGR", "BWRG", "RBGW", "BRWG", "WGBR", "GWRB"
  };

  private final ImageDecoder decoder = new ImageDecoder();

  /** How a test file carries its EXIF block. */
  enum Carrier {
    JPEG_APP1,
    PNG_EXIF_AFTER_IHDR,
    PNG_EXIF_PREFIXED_BEFORE_IEND,
    WEBP_EXIF_LOSSLESS,
    WEBP_EXIF_PREFIXED_LOSSLESS;

    boolean lossy() {
      return this == JPEG_APP1;
    }

    String extension() {
      return this == JPEG_APP1 ? "jpg" : name().startsWith("PNG") ? "png" : "webp";
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Carrier carrier : Carrier.values()) {
      for (int orientation = 1; orientation <= 8; orientation++) {
        cases.add(Arguments.of(carrier, orientation, true));
        cases.add(Arguments.of(carrier, orientation, false));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, orientation {1}, little-endian {2}")
  @MethodSource("cases")
  void orientationIsAppliedInEveryFormat(Carrier carrier, int orientation, boolean little) {
    BufferedImage img = decoder.decode(encode(carrier, orientation, little));
    boolean swapped = orientation >= 5;
    assertThat(img.getWidth()).isEqualTo(swapped ? 20 : 40);
    assertThat(img.getHeight()).isEqualTo(swapped ? 40 : 20);
    String corners = CORNERS[orientation];
    assertCorners(
        img,
        color(corners.charAt(0)),
        color(corners.charAt(1)),
        color(corners.charAt(2)),
        color(corners.charAt(3)),
        carrier.lossy() ? 12 : 0);
  }

  @Test
  void malformedExifLeavesTheImageAsStored() {
    BufferedImage src = TestImages.quadrants(40, 20, RED, GREEN, BLUE, WHITE);
    byte[] garbage = "II*\0\u00ff\u00ff\u00ff\u00ffjunk".getBytes(StandardCharsets.ISO_8859_1);
    byte[] png = TestImages.pngWithExif(TestImages.encode(src, "png"), garbage, false);
    byte[] webp = TestImages.webpWithExif(TestImages.losslessWebp(src), 40, 20, garbage);
    for (byte[] file : List.of(png, webp)) {
      BufferedImage img = decoder.decode(file);
      assertThat(img.getWidth()).isEqualTo(40);
      assertCorners(img, RED, GREEN, BLUE, WHITE, 0);
    }
  }

  /** Pillow's {@code exif_transpose} on the same files gives the same pixels. */
  @Test
  void pillowAgrees(@TempDir Path dir) throws IOException, InterruptedException {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(
        Files.isExecutable(python)
            && ExternalProcess.run(List.of(python.toString(), "-c", "import PIL"), "") == 0,
        "skipping: /usr/bin/python3 with PIL is absent (apt-get install -y python3-pil)");
    String script =
        """
        import sys
        from PIL import Image, ImageOps
        for line in sys.stdin:
            src, dst = line.rstrip("\\n").split("\\t")
            im = ImageOps.exif_transpose(Image.open(src)).convert("RGB")
            with open(dst, "wb") as f:
                f.write(b"%d %d\\n" % im.size + im.tobytes())
        """;
    StringBuilder jobs = new StringBuilder();
    List<Object[]> files = new ArrayList<>();
    for (Carrier carrier : Carrier.values()) {
      if (carrier.lossy() || carrier == Carrier.PNG_EXIF_PREFIXED_BEFORE_IEND) {
        // JPEG: Pillow's libjpeg-turbo and the JDK's decoder differ by a few levels. A PNG eXIf
        // chunk that starts with "Exif\0\0" makes Pillow's exif_transpose raise (it prefixes
        // PNG data with its own "Exif\0\0"); the decoder skips the prefix as in JPEG and WebP.
        continue;
      }
      for (int orientation = 1; orientation <= 8; orientation++) {
        Path file = dir.resolve(carrier + "-" + orientation + "." + carrier.extension());
        Files.write(file, encode(carrier, orientation, orientation % 3 == 0));
        Path out = dir.resolve(file.getFileName() + ".rgb");
        jobs.append(file).append('\t').append(out).append('\n');
        files.add(new Object[] {file, out});
      }
    }
    assertThat(ExternalProcess.run(List.of(python.toString(), "-c", script), jobs.toString()))
        .isZero();
    for (Object[] job : files) {
      BufferedImage img = decoder.decode(Files.readAllBytes((Path) job[0]));
      byte[] pil = Files.readAllBytes((Path) job[1]);
      int header = indexOf(pil, (byte) '\n') + 1;
      String[] size = new String(pil, 0, header - 1, StandardCharsets.US_ASCII).split(" ");
      assertThat(img.getWidth() + "x" + img.getHeight())
          .as("%s", job[0])
          .isEqualTo(size[0] + "x" + size[1]);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int i = header + 3 * (y * img.getWidth() + x);
          int expected = (pil[i] & 0xFF) << 16 | (pil[i + 1] & 0xFF) << 8 | (pil[i + 2] & 0xFF);
          assertThat(img.getRGB(x, y) & 0xFFFFFF)
              .as("%s pixel %d,%d", ((Path) job[0]).getFileName(), x, y)
              .isEqualTo(expected);
        }
      }
    }
  }

  private static byte[] encode(Carrier carrier, int orientation, boolean little) {
    BufferedImage src = TestImages.quadrants(40, 20, RED, GREEN, BLUE, WHITE);
    byte[] tiff = TestImages.exifTiff(orientation, little);
    byte[] prefixed = TestImages.concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), tiff);
    return switch (carrier) {
      case JPEG_APP1 ->
          TestImages.withExifOrientation(TestImages.encode(src, "jpeg"), orientation, little);
      case PNG_EXIF_AFTER_IHDR ->
          TestImages.pngWithExif(TestImages.encode(src, "png"), tiff, false);
      case PNG_EXIF_PREFIXED_BEFORE_IEND ->
          TestImages.pngWithExif(TestImages.encode(src, "png"), prefixed, true);
      case WEBP_EXIF_LOSSLESS ->
          TestImages.webpWithExif(TestImages.losslessWebp(src), 40, 20, tiff);
      case WEBP_EXIF_PREFIXED_LOSSLESS ->
          TestImages.webpWithExif(TestImages.losslessWebp(src), 40, 20, prefixed);
    };
  }

  private static int color(char name) {
    return switch (name) {
      case 'R' -> RED;
      case 'G' -> GREEN;
      case 'B' -> BLUE;
      default -> WHITE;
    };
  }

  private static int indexOf(byte[] b, byte value) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
