package dev.shopsearch.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Not a test: thread CPU time per image of decoding lossy WebP (Magento photos, {@code cwebp -q
 * 80}) with libwebp through {@link ImageDecoder} and with TwelveMonkeys' pure-Java reader (plus the
 * same conversion to {@code TYPE_INT_RGB}). CPU time, not wall time, so other processes' load does
 * not count. Usage: {@code WebpDecodeCpuTime <magento images dir> [photos] [rounds]}; needs {@code
 * cwebp}. See docs/benchmarks.md.
 */
public final class WebpDecodeCpuTime {
  private WebpDecodeCpuTime() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    int photos = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<byte[]> files = encode(root, photos);
    ImageDecoder decoder = new ImageDecoder();
    ImageReaderSpi twelveMonkeys = new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    System.out.printf(
        Locale.ROOT,
        "%d lossy WebP photos, %.0f kB mean; libwebp in use: %s%n",
        files.size(),
        files.stream().mapToInt(b -> b.length).average().orElse(0) / 1000,
        LibWebp.get().problem() == null);
    double[][] ms = new double[2][rounds];
    for (int round = -1; round < rounds; round++) { // round -1 warms up
      for (int which = 0; which < 2; which++) {
        long start = threads.getCurrentThreadCpuTime();
        long sink = 0;
        for (byte[] file : files) {
          BufferedImage img =
              which == 0 ? decoder.decode(file) : RgbConverter.toIntRgb(read(twelveMonkeys, file));
          sink += img.getRGB(img.getWidth() / 2, img.getHeight() / 2);
        }
        double perImage = (threads.getCurrentThreadCpuTime() - start) / 1e6 / files.size();
        if (round >= 0) {
          ms[which][round] = perImage;
        }
        if (sink == 42) {
          System.out.print("");
        }
      }
    }
    String[] names = {"libwebp (ImageDecoder)", "TwelveMonkeys reader + RgbConverter"};
    for (int which = 0; which < 2; which++) {
      double[] sorted = ms[which].clone();
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "%-38s CPU ms/image: median %.1f, range %.1f-%.1f (rounds %s)%n",
          names[which],
          sorted[sorted.length / 2],
          sorted[0],
          sorted[sorted.length - 1],
          Arrays.toString(Arrays.stream(ms[which]).map(v -> Math.round(v * 10) / 10.0).toArray()));
    }
  }

  private static BufferedImage read(ImageReaderSpi spi, byte[] file) throws IOException {
    ImageReader reader = spi.createReaderInstance();
    try (ImageInputStream in = new ByteArrayImageInputStream(file)) {
      reader.setInput(in, true, true);
      return reader.read(0, reader.getDefaultReadParam());
    } finally {
      reader.dispose();
    }
  }

  private static List<byte[]> encode(Path root, int n) throws IOException, InterruptedException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.filter(p -> p.toString().endsWith(".jpg")).sorted().toList();
    }
    Path dir = Files.createTempDirectory("webp-bench");
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < n && i < all.size(); i++) {
      Path webp = dir.resolve(i + ".webp");
      ExternalProcess.runOk(
          List.of(
              "/usr/bin/cwebp",
              "-quiet",
              "-q",
              "80",
              all.get(i * all.size() / n).toString(),
              "-o",
              webp.toString()));
      files.add(Files.readAllBytes(webp));
      Files.delete(webp);
    }
    Files.delete(dir);
    return files;
  }
}
