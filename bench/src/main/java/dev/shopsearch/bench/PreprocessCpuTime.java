package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.ImageDecoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Companion to {@link PreprocessBenchmark} for shared, oversubscribed machines: measures the
 * thread's CPU time (not wall time) per image for decode and for preprocess, so other processes'
 * load does not count. Usage: {@code java -cp bench/target/benchmarks.jar
 * dev.shopsearch.bench.PreprocessCpuTime [imagesDir] [count] [rounds]}.
 */
public final class PreprocessCpuTime {
  private PreprocessCpuTime() {}

  public static void main(String[] args) {
    Path dir = Path.of(args.length > 0 ? args[0] : "../shared/datasets/magento-luma/images");
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    byte[][] photos = PreprocessBenchmark.readPhotos(dir, count);
    ImageDecoder decoder = new ImageDecoder();
    ImagePreprocessor preprocessor = new ImagePreprocessor(ImageSpec.clip(224), decoder);
    float[] tensor = new float[preprocessor.tensorLength()];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double checksum = 0;
    for (int round = 0; round <= rounds; round++) {
      long decodeNs = 0;
      long preprocessNs = 0;
      for (byte[] photo : photos) {
        long t0 = threads.getCurrentThreadCpuTime();
        BufferedImage image = decoder.decode(photo);
        long t1 = threads.getCurrentThreadCpuTime();
        preprocessor.preprocess(image, tensor, 0);
        long t2 = threads.getCurrentThreadCpuTime();
        decodeNs += t1 - t0;
        preprocessNs += t2 - t1;
        checksum += tensor[tensor.length / 2];
      }
      double decodeMs = decodeNs / 1e6 / photos.length;
      double preprocessMs = preprocessNs / 1e6 / photos.length;
      System.out.printf(
          Locale.ROOT,
          "%s %d: %d images, CPU ms/image decode %.1f + preprocess %.1f = %.1f -> %.1f img/s per"
              + " core%n",
          round == 0 ? "warm-up" : "round",
          round,
          photos.length,
          decodeMs,
          preprocessMs,
          decodeMs + preprocessMs,
          1000 / (decodeMs + preprocessMs));
    }
    System.out.printf(Locale.ROOT, "checksum %.3f%n", checksum);
  }
}
