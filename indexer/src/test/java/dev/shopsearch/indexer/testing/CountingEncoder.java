package dev.shopsearch.indexer.testing;

import dev.shopsearch.core.encode.ImageEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/** A fixed random projection of the fake pixels to unit vectors, counting what it encodes. */
public final class CountingEncoder implements ImageEncoder {
  private final int dim;
  private final float[][] projection;
  private final AtomicLong images = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private volatile RuntimeException failWith;
  private volatile long delayMillis;

  public CountingEncoder(int dim) {
    this.dim = dim;
    Random rnd = new Random(1234);
    projection = new float[dim][FakeImageLoader.PIXELS];
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

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int imageSize() {
    return 4;
  }

  @Override
  public List<float[]> encode(List<float[]> pixels) {
    if (pixels.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
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
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        float s = 0;
        for (int i = 0; i < px.length; i++) {
          s += projection[d][i % FakeImageLoader.PIXELS] * px[i];
        }
        v[d] = s;
        norm += s * s;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) {
        v[d] *= inv;
      }
      out.add(v);
    }
    return out;
  }

  @Override
  public String executionProvider() {
    return "fake";
  }

  @Override
  public void close() {}
}
