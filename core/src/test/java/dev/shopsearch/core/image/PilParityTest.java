package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with real PIL (Debian {@code python3-pil}, run as {@code /usr/bin/python3}) on real
 * catalog photos, preprocessing as Hugging Face's {@code CLIPImageProcessor} does: {@code
 * convert("RGB")}, shortest-side {@code resize(..., BICUBIC)}, centre crop.
 *
 * <ul>
 *   <li>Resampler: PIL resizes the pixels Java decoded (written as PPM), so only the resize and
 *       crop are compared: they must match exactly, for BICUBIC and BILINEAR, down- and upscaling.
 *   <li>End to end: PIL decodes the JPEG itself (libjpeg-turbo vs the JDK's libjpeg); the
 *       normalised tensors must agree within 2/255 per channel.
 * </ul>
 *
 * Skips when PIL or the shared photos are absent.
 */
class PilParityTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private static final String SCRIPT =
      """
      import sys
      from PIL import Image
      R = getattr(Image, "Resampling", Image)
      for line in sys.stdin:
          size, flt, src, dst = line.rstrip("\\n").split("\\t")
          size = int(size)
          im = Image.open(src).convert("RGB")
          w, h = im.size
          short, long = (w, h) if w <= h else (h, w)
          new_short, new_long = size, int(size * long / short)
          nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
          im = im.resize((nw, nh), resample=R.BICUBIC if flt == "bicubic" else R.BILINEAR)
          top, left = (nh - size) // 2, (nw - size) // 2
          im = im.crop((left, top, left + size, top + size))
          with open(dst, "wb") as f:
              f.write(im.tobytes())
      """;

  private record Job(int size, String filter, Path source, Path result, int photo) {}

  @Test
  void matchesPilOnRealPhotos(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(PYTHON)
            && ExternalProcess.run(List.of(PYTHON.toString(), "-c", "import PIL"), "") == 0,
        "skipping: /usr/bin/python3 with PIL is absent (apt-get install -y python3-pil)");
    List<Path> photos = new ArrayList<>();
    photos.addAll(pick(SharedData.require("datasets/magento-luma/images"), 14));
    photos.addAll(pick(SharedData.require("datasets/fashion-myntra/images"), 6));
    assertThat(photos).hasSize(20);

    ImageDecoder decoder = new ImageDecoder();
    List<BufferedImage> decoded = new ArrayList<>();
    List<Job> exactJobs = new ArrayList<>();
    List<Job> pipelineJobs = new ArrayList<>();
    for (int i = 0; i < photos.size(); i++) {
      BufferedImage img = decoder.decode(Files.readAllBytes(photos.get(i)));
      decoded.add(img);
      Path ppm = dir.resolve(i + ".ppm");
      writePpm(img, ppm);
      exactJobs.add(new Job(224, "bicubic", ppm, dir.resolve(i + ".bicubic224.rgb"), i));
      exactJobs.add(new Job(336, "bicubic", ppm, dir.resolve(i + ".bicubic336.rgb"), i));
      exactJobs.add(new Job(224, "bilinear", ppm, dir.resolve(i + ".bilinear224.rgb"), i));
      pipelineJobs.add(new Job(224, "bicubic", photos.get(i), dir.resolve(i + ".jpeg.rgb"), i));
    }
    StringBuilder input = new StringBuilder();
    for (Job job : Stream.concat(exactJobs.stream(), pipelineJobs.stream()).toList()) {
      input.append(job.size()).append('\t').append(job.filter()).append('\t');
      input.append(job.source()).append('\t').append(job.result()).append('\n');
    }
    assertThat(ExternalProcess.run(List.of(PYTHON.toString(), "-c", SCRIPT), input.toString()))
        .isZero();

    // 1. Same decoded pixels: the resampler and crop must reproduce PIL exactly.
    long compared = 0;
    int maxExact = 0;
    for (Job job : exactJobs) {
      ImageSpec.Resample resample =
          job.filter().equals("bicubic") ? ImageSpec.Resample.BICUBIC : ImageSpec.Resample.BILINEAR;
      ImagePreprocessor pre =
          new ImagePreprocessor(new ImageSpec(job.size(), resample, true, null, null), decoder);
      int[] java = pre.resizeAndCrop(decoded.get(job.photo()));
      byte[] pil = Files.readAllBytes(job.result());
      assertThat(pil).hasSize(3 * java.length);
      for (int p = 0; p < java.length; p++) {
        for (int c = 0; c < 3; c++) {
          int diff = Math.abs((java[p] >> (16 - 8 * c) & 0xFF) - (pil[3 * p + c] & 0xFF));
          maxExact = Math.max(maxExact, diff);
          compared++;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "PIL parity (same decoded pixels, %d resize jobs, %d values): max |diff| = %d/255%n",
        exactJobs.size(),
        compared,
        maxExact);
    assertThat(maxExact).as("max |Java - PIL| on identical input pixels, in 1/255").isZero();

    // 2. End to end from the JPEG bytes (each side with its own JPEG decoder).
    ImagePreprocessor pre = new ImagePreprocessor(ImageSpec.clip(224), decoder);
    float[] std = ImageSpec.CLIP_STD;
    float[] mean = ImageSpec.CLIP_MEAN;
    double max = 0;
    double sum = 0;
    long count = 0;
    for (Job job : pipelineJobs) {
      float[] java = pre.preprocess(Files.readAllBytes(job.source()));
      byte[] pil = Files.readAllBytes(job.result());
      int plane = 224 * 224;
      for (int p = 0; p < plane; p++) {
        for (int c = 0; c < 3; c++) {
          float expected = ((float) ((pil[3 * p + c] & 0xFF) * (1.0 / 255.0)) - mean[c]) / std[c];
          double diff = Math.abs(java[c * plane + p] - expected) * std[c]; // in [0,1] pixel units
          max = Math.max(max, diff);
          sum += diff;
          count++;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "PIL parity (end to end from %d JPEGs, %d values): max |diff| = %.3f/255, mean = %.5f/255%n",
        pipelineJobs.size(),
        count,
        max * 255,
        sum / count * 255);
    assertThat(max * 255).as("max |diff| per channel in 1/255").isLessThanOrEqualTo(2.0 + 1e-4);
  }

  /** {@code n} files spread evenly over the sorted listing. */
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

  private static void writePpm(BufferedImage img, Path path) throws IOException {
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[3 * w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        rgb[i] = (byte) (row[x] >> 16);
        rgb[i + 1] = (byte) (row[x] >> 8);
        rgb[i + 2] = (byte) row[x];
      }
    }
    try (OutputStream out = Files.newOutputStream(path)) {
      out.write(
          String.format(Locale.ROOT, "P6\n%d %d\n255\n", w, h).getBytes(StandardCharsets.US_ASCII));
      out.write(rgb);
    }
  }
}
