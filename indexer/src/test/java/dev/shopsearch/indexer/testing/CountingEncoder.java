package dev.shopsearch.indexer.testing;

import dev.shopsearch.core.encode.ActiveProvider;
import dev.shopsearch.core.encode.ImageEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.lucene.util.VectorUtil;

/**
 * A fixed random projection of preprocessed pixels to unit vectors, counting what it encodes. Tests
 * observe or slow down its calls with {@link #delayMillis} and {@link #intercept}.
 */
public final class CountingEncoder implements ImageEncoder {

  /** Wraps each encode call, e.g. to observe concurrency or report progress. */
  @FunctionalInterface
  public interface Interceptor {
    /** Must call {@code encode} once and return (or pass on) its result. */
    List<float[]> around(List<float[]> pixels, Supplier<List<float[]>> encode);
  }

  private final int dim;
  private final int size;
  private final float[][] projection;
  private final AtomicLong images = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private volatile RuntimeException failWith;
  private volatile long delayMillis;
  private volatile Interceptor interceptor = (pixels, encode) -> encode.get();

  /** For the 4 × 4 images of {@link FakeImageLoader} ({@value FakeImageLoader#PIXELS} floats). */
  public CountingEncoder(int dim) {
    this(dim, 4);
  }

  /** For {@code size × size} images (a real loader preprocessing to the bundle's image size). */
  public CountingEncoder(int dim, int size) {
    this.dim = dim;
    this.size = size;
    Random rnd = new Random(1234);
    projection = new float[dim][3 * size * size];
    for (float[] row : projection) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) rnd.nextGaussian();
      }
    }
  }

  public long images() {
    return images.get();
  }

  public long calls() {
    return calls.get();
  }

  /** Makes every later call throw. */
  public void failWith(RuntimeException e) {
    failWith = e;
  }

  /** Sleeps this long per call (to make a build slow enough to kill). */
  public void delayMillis(long ms) {
    delayMillis = ms;
  }

  /** Runs every later call through {@code interceptor}. */
  public void intercept(Interceptor interceptor) {
    this.interceptor = interceptor;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int imageSize() {
    return size;
  }

  @Override
  public List<float[]> encode(List<float[]> pixels) {
    if (pixels.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    for (int i = 0; i < pixels.size(); i++) {
      float[] px = pixels.get(i);
      if (px == null || px.length != 3 * size * size) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + (px == null ? "null" : px.length)
                + " floats; expected 3 * "
                + size
                + " * "
                + size);
      }
    }
    return interceptor.around(pixels, () -> project(pixels));
  }

  private List<float[]> project(List<float[]> pixels) {
    if (failWith != null) {
      throw failWith;
    }
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    calls.incrementAndGet();
    images.addAndGet(pixels.size());
    List<float[]> out = new ArrayList<>(pixels.size());
    for (float[] px : pixels) {
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = VectorUtil.dotProduct(projection[d], px);
      }
      if (VectorUtil.dotProduct(v, v) == 0) {
        v[0] = 1; // a blank image: any fixed unit vector
      }
      out.add(VectorUtil.l2normalize(v));
    }
    return out;
  }

  @Override
  public ActiveProvider executionProvider() {
    return ActiveProvider.cpu();
  }

  @Override
  public void close() {}
}
