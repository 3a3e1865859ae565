package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.core.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lossy WebP decodes exactly as libwebp decodes it: every pixel equals {@code dwebp -pam}'s
 * (Debian's libwebp, the decoder Pillow uses), after the decoder's documented alpha rule
 * (composited on white). Files are made by {@code cwebp} in the test with several encoder settings,
 * from odd-sized synthetic photos and, when {@code ../shared} is present, from real catalog photos.
 * Skips when cwebp/dwebp are absent.
 */
class WebpLibwebpParityTest {
  private final ImageDecoder decoder = new ImageDecoder();

  @ParameterizedTest(name = "cwebp {0}")
  @ValueSource(
      strings = {
        "-q 80",
        "-q 30 -f 80 -sharpness 5",
        "-q 95 -m 6 -segments 1 -sns 0",
        "-q 60 -f 0 -pass 3",
        "-q 50 -sharp_yuv"
      })
  void lossyEqualsLibwebp(String options, @TempDir Path dir) throws IOException {
    WebpTools.require();
    for (int[] size : new int[][] {{97, 61}, {64, 64}, {33, 130}}) {
      BufferedImage photo = TestImages.photoLike(size[0], size[1], size[0] * 31L + size[1]);
      Path png = WebpTools.png(photo, dir.resolve(size[0] + "x" + size[1] + ".png"));
      Path webp =
          WebpTools.cwebp(png, dir.resolve(size[0] + "x" + size[1] + ".webp"), split(options));
      assertEqualsLibwebp(webp, dir);
    }
  }

  @ParameterizedTest(name = "cwebp {0}")
  @ValueSource(
      strings = {
        "-q 80 -alpha_q 100",
        "-q 70 -alpha_q 40 -alpha_filter best",
        "-q 90 -alpha_q 100 -alpha_method 0 -exact",
        "-q 40 -alpha_q 70 -alpha_filter fast -alpha_cleanup"
      })
  void lossyWithAlphaEqualsLibwebp(String options, @TempDir Path dir) throws IOException {
    WebpTools.require();
    BufferedImage photo = TestImages.withAlphaRamp(TestImages.photoLike(91, 67, 7));
    Path png = WebpTools.png(photo, dir.resolve("alpha.png"));
    Path webp = WebpTools.cwebp(png, dir.resolve("alpha.webp"), split(options));
    byte[] bytes = Files.readAllBytes(webp);
    assertThat(new String(bytes, 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1))
        .as("cwebp wrote an extended file (VP8X with ALPH + VP8)")
        .isEqualTo("VP8X");
    assertEqualsLibwebp(webp, dir);
  }

  @Test
  void realCatalogPhotosEqualLibwebp(@TempDir Path dir) throws IOException {
    WebpTools.require();
    List<Path> photos = new ArrayList<>();
    photos.addAll(pick(SharedData.require("datasets/magento-luma/images"), 4));
    photos.addAll(pick(SharedData.require("datasets/fashion-myntra/images"), 8));
    int i = 0;
    for (Path photo : photos) {
      Path webp = WebpTools.cwebp(photo, dir.resolve(i++ + ".webp"), List.of("-q", "80"));
      assertEqualsLibwebp(webp, dir);
    }
  }

  /**
   * An animation's first frame as Pillow shows it (libwebp's animation decoder): the frame, alpha
   * included, at its offset on a transparent canvas. Here a lossy+alpha 30x20 frame at (10,6) on an
   * 80x60 canvas, followed by a full-canvas frame that must not show.
   */
  @Test
  void animatedFirstFrameEqualsPillow(@TempDir Path dir) throws IOException, InterruptedException {
    WebpTools.require();
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(
        Files.isExecutable(WebpTools.WEBPMUX)
            && Files.isExecutable(python)
            && ExternalProcess.run(List.of(python.toString(), "-c", "import PIL"), "") == 0,
        "skipping: webpmux or /usr/bin/python3 with PIL absent (apt-get install -y webp python3-pil)");
    BufferedImage small = TestImages.withAlphaRamp(TestImages.photoLike(30, 20, 3));
    Path first =
        WebpTools.cwebp(
            WebpTools.png(small, dir.resolve("first.png")),
            dir.resolve("first.webp"),
            split("-q 70"));
    Path second =
        WebpTools.cwebp(
            WebpTools.png(TestImages.photoLike(80, 60, 4), dir.resolve("second.png")),
            dir.resolve("second.webp"),
            split("-q 60"));
    Path anim = dir.resolve("anim.webp");
    ExternalProcess.runOk(
        List.of(
            WebpTools.WEBPMUX.toString(),
            "-frame",
            first.toString(),
            "+100+10+6",
            "-frame",
            second.toString(),
            "+100",
            "-o",
            anim.toString()));
    Path rgba = dir.resolve("anim.rgba");
    String script =
        "from PIL import Image\n"
            + "im = Image.open('"
            + anim
            + "').convert('RGBA')\n"
            + "open('"
            + rgba
            + "', 'wb').write(im.tobytes())\n";
    assertThat(ExternalProcess.run(List.of(python.toString(), "-c", script), "")).isZero();
    byte[] pil = Files.readAllBytes(rgba);
    assertThat(pil).hasSize(80 * 60 * 4);
    int[] argb = new int[80 * 60];
    for (int i = 0; i < argb.length; i++) {
      argb[i] =
          (pil[4 * i + 3] & 0xFF) << 24
              | (pil[4 * i] & 0xFF) << 16
              | (pil[4 * i + 1] & 0xFF) << 8
              | (pil[4 * i + 2] & 0xFF);
    }
    WebpTools.Argb reference = new WebpTools.Argb(80, 60, argb);
    assertThat(reference.onWhite(0, 0))
        .as("outside the first frame: transparent")
        .isEqualTo(0xFFFFFF);
    assertEquals(reference, decoder.decode(Files.readAllBytes(anim)), anim);
  }

  private void assertEqualsLibwebp(Path webp, Path dir) throws IOException {
    assertEquals(WebpTools.dwebp(webp, dir), decoder.decode(Files.readAllBytes(webp)), webp);
  }

  private static void assertEquals(WebpTools.Argb reference, BufferedImage img, Path webp) {
    assertThat(img.getWidth()).isEqualTo(reference.width());
    assertThat(img.getHeight()).isEqualTo(reference.height());
    int differing = 0;
    int maxDiff = 0;
    String first = null;
    for (int y = 0; y < reference.height(); y++) {
      for (int x = 0; x < reference.width(); x++) {
        int expected = reference.onWhite(x, y);
        int actual = img.getRGB(x, y) & 0xFFFFFF;
        if (actual != expected) {
          differing++;
          for (int shift = 0; shift <= 16; shift += 8) {
            maxDiff =
                Math.max(maxDiff, Math.abs((actual >> shift & 0xFF) - (expected >> shift & 0xFF)));
          }
          if (first == null) {
            first = String.format(Locale.ROOT, "(%d,%d) %06X vs %06X", x, y, actual, expected);
          }
        }
      }
    }
    assertThat(differing)
        .as(
            "%s: pixels differing from the reference (max |diff| %d, first at %s)",
            webp.getFileName(), maxDiff, first)
        .isZero();
  }

  private static List<String> split(String options) {
    return List.of(options.split(" "));
  }

  /** {@code n} JPEGs spread evenly over the sorted listing. */
  private static List<Path> pick(Path root, int n) throws IOException {
    List<Path> all;
    try (Stream<Path> files = Files.walk(root)) {
      all =
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg"))
              .sorted()
              .toList();
    }
    assumeTrue(all.size() >= n, "skipping: fewer than " + n + " photos under " + root);
    List<Path> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(all.get((int) ((long) i * all.size() / n)));
    }
    return picked;
  }
}
