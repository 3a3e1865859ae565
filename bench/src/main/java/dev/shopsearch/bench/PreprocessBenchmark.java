package dev.shopsearch.bench;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.image.ImageDecoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Image decode + CLIP preprocessing throughput on the Magento catalog photos (progressive JPEGs,
 * 1080x1340 and 1274x1580), one thread: images per second per core.
 *
 * <ul>
 *   <li>{@code decodeAndPreprocess}: JPEG bytes to the normalised {@code float[3*224*224]}.
 *   <li>{@code decode}: JPEG bytes to a {@code TYPE_INT_RGB} image.
 *   <li>{@code preprocess}: decoded image to the tensor (PIL-exact bicubic resize, crop,
 *       normalise).
 * </ul>
 *
 * <p>Images come from {@code -p images=DIR} (default {@code
 * ../shared/datasets/magento-luma/images}, relative to the project root); the first {@code count}
 * JPEGs in path order are cycled.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Djava.awt.headless=true", "-Dai.djl.offline=true"})
@Threads(1)
public class PreprocessBenchmark {

  /** Encoded photos, cycled round-robin. */
  @State(Scope.Thread)
  public static class Photos {
    @Param("../shared/datasets/magento-luma/images")
    public String images;

    @Param("32")
    public int count;

    @Param("224")
    public int size;

    byte[][] encoded;
    ImageDecoder decoder;
    ImagePreprocessor preprocessor;
    float[] tensor;
    int next;

    @Setup(Level.Trial)
    public void load() {
      encoded = readPhotos(Path.of(images), count);
      decoder = new ImageDecoder();
      preprocessor = new ImagePreprocessor(ImageSpec.clip(size), decoder);
      tensor = new float[preprocessor.tensorLength()];
    }

    byte[] nextPhoto() {
      byte[] photo = encoded[next];
      next = (next + 1) % encoded.length;
      return photo;
    }
  }

  /** The same photos decoded up front, for the preprocessing-only benchmark. */
  @State(Scope.Thread)
  public static class Decoded {
    BufferedImage[] decoded;
    int next;

    @Setup(Level.Trial)
    public void decode(Photos photos) {
      int n = Math.min(photos.encoded.length, 16);
      decoded = new BufferedImage[n];
      for (int i = 0; i < n; i++) {
        decoded[i] = photos.decoder.decode(photos.encoded[i]);
      }
    }

    BufferedImage nextImage() {
      BufferedImage image = decoded[next];
      next = (next + 1) % decoded.length;
      return image;
    }
  }

  @Benchmark
  public float decodeAndPreprocess(Photos photos) {
    photos.preprocessor.preprocess(photos.nextPhoto(), photos.tensor, 0);
    return photos.tensor[photos.tensor.length / 2];
  }

  @Benchmark
  public BufferedImage decode(Photos photos) {
    return photos.decoder.decode(photos.nextPhoto());
  }

  @Benchmark
  public float preprocess(Photos photos, Decoded decoded) {
    photos.preprocessor.preprocess(decoded.nextImage(), photos.tensor, 0);
    return photos.tensor[photos.tensor.length / 2];
  }

  static byte[][] readPhotos(Path dir, int count) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "photo directory " + dir.toAbsolutePath() + " is absent; pass -p images=DIR");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> jpegs =
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg"))
              .sorted()
              .limit(count)
              .toList();
      if (jpegs.isEmpty()) {
        throw new IllegalArgumentException("no .jpg files under " + dir.toAbsolutePath());
      }
      byte[][] out = new byte[jpegs.size()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = Files.readAllBytes(jpegs.get(i));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
