package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * libwebp's own command-line tools from Debian's {@code webp} package ({@code .ci/run} installs
 * it): {@code cwebp} to make test files, {@code dwebp -pam} as the reference decoder. Tests call
 * {@link #require()}, which skips them with a message when the tools are absent.
 */
final class WebpTools {
  static final Path CWEBP = Path.of("/usr/bin/cwebp");
  static final Path DWEBP = Path.of("/usr/bin/dwebp");
  static final Path WEBPMUX = Path.of("/usr/bin/webpmux");

  private WebpTools() {}

  /** Skips the calling test unless cwebp and dwebp are installed. */
  static void require() {
    assumeTrue(
        Files.isExecutable(CWEBP) && Files.isExecutable(DWEBP),
        "skipping: cwebp/dwebp absent (apt-get install -y webp; .ci/run installs it)");
  }

  /** Encodes {@code png} with {@code cwebp} and the given options; returns the WebP file. */
  static Path cwebp(Path png, Path webp, List<String> options) {
    List<String> command = new ArrayList<>(List.of(CWEBP.toString(), "-quiet"));
    command.addAll(options);
    command.addAll(List.of(png.toString(), "-o", webp.toString()));
    ExternalProcess.runOk(command);
    return webp;
  }

  /** libwebp's decode of {@code webp} ({@code dwebp -pam}): non-premultiplied ARGB pixels. */
  static Argb dwebp(Path webp, Path dir) {
    Path pam = dir.resolve(webp.getFileName() + ".pam");
    ExternalProcess.runOk(
        List.of(DWEBP.toString(), "-quiet", webp.toString(), "-pam", "-o", pam.toString()));
    return readPam(pam);
  }

  /** Writes {@code img} as PNG (the JDK's writer: exact, keeps alpha). */
  static Path png(BufferedImage img, Path path) throws IOException {
    Files.write(path, TestImages.encode(img, "png"));
    return path;
  }

  /** Pixels as {@code 0xAARRGGBB}, row-major. */
  record Argb(int width, int height, int[] pixels) {
    /** The pixel composited on white as {@link ImageDecoder} does; opaque pixels unchanged. */
    int onWhite(int x, int y) {
      int p = pixels[y * width + x];
      int a = p >>> 24;
      return RgbConverter.over(p >> 16 & 0xFF, a) << 16
          | RgbConverter.over(p >> 8 & 0xFF, a) << 8
          | RgbConverter.over(p & 0xFF, a);
    }
  }

  /** Reads a PAM ({@code P7}) file of depth 3 (RGB) or 4 (RGB_ALPHA), maxval 255. */
  static Argb readPam(Path pam) {
    byte[] b;
    try {
      b = Files.readAllBytes(pam);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + pam, e);
    }
    int end = indexOf(b, "ENDHDR\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(end).as("PAM header of %s", pam).isPositive();
    Map<String, String> header = new HashMap<>();
    for (String line : new String(b, 0, end, StandardCharsets.US_ASCII).split("\n")) {
      String[] kv = line.strip().split("\\s+", 2);
      if (kv.length == 2) {
        header.put(kv[0], kv[1]);
      }
    }
    int w = Integer.parseInt(header.get("WIDTH"));
    int h = Integer.parseInt(header.get("HEIGHT"));
    int depth = Integer.parseInt(header.get("DEPTH"));
    assertThat(header.get("MAXVAL")).isEqualTo("255");
    assertThat(depth).isIn(3, 4);
    int data = end + "ENDHDR\n".length();
    assertThat(b.length - data).isEqualTo(w * h * depth);
    int[] pixels = new int[w * h];
    for (int i = 0, s = data; i < pixels.length; i++, s += depth) {
      int a = depth == 4 ? b[s + 3] & 0xFF : 0xFF;
      pixels[i] = a << 24 | (b[s] & 0xFF) << 16 | (b[s + 1] & 0xFF) << 8 | (b[s + 2] & 0xFF);
    }
    return new Argb(w, h, pixels);
  }

  private static int indexOf(byte[] b, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= b.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
