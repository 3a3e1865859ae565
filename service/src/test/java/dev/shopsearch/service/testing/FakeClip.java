package dev.shopsearch.service.testing;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.bundle.TowerSpec;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.service.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.util.VectorUtil;

/**
 * A deterministic stand-in for a CLIP bundle so that search tests can assert <em>which</em>
 * products come back: a text is the normalised sum of one seeded random vector per lower-cased
 * word, so "red dress" is close to products whose image vectors were made from "red dress". Images
 * (CHW floats) map to the word vector of their dominant colour channel ("red", "green", "blue").
 * Counts encoder calls and can be slowed down to exercise deadlines.
 */
public final class FakeClip {
  public static final int DIM = 32;
  public static final int IMAGE_SIZE = 8;

  private FakeClip() {}

  /** A manifest for the fake model with the given content hash. */
  public static BundleManifest manifest(String hash) {
    return new BundleManifest(
        "fake-clip",
        "1",
        hash,
        DIM,
        Similarity.COSINE,
        new TowerSpec("text.onnx", List.of("input_ids"), "text_embeds", Pooling.NONE, null),
        new TowerSpec("image.onnx", List.of("pixel_values"), "image_embeds", Pooling.NONE, null),
        new TextSpec("tokenizer.json", 77, true),
        ImageSpec.clip(IMAGE_SIZE),
        Map.of());
  }

  /** The embedding of a text (bag of seeded word vectors, unit norm). */
  public static float[] embed(String text) {
    float[] sum = new float[DIM];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      Random r = new Random(word.hashCode() * 31L + 7);
      for (int i = 0; i < DIM; i++) {
        sum[i] += (float) r.nextGaussian();
      }
    }
    return normalise(sum);
  }

  /** A noisy copy of a vector (unit norm), for several images of one product. */
  public static float[] jitter(float[] v, long seed, double amount) {
    Random r = new Random(seed);
    float[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += (float) (r.nextGaussian() * amount / Math.sqrt(DIM));
    }
    return normalise(out);
  }

  /** Unit norm in place; the zero vector (a text with no words) becomes the first axis. */
  static float[] normalise(float[] v) {
    if (VectorUtil.dotProduct(v, v) == 0) {
      v[0] = 1;
      return v;
    }
    return VectorUtil.l2normalize(v);
  }

  /** A loaded model over the fake encoders. */
  public static LoadedModel model(String hash, Text text) {
    return model(hash, text, new Image());
  }

  /** A loaded model over the given fake encoders. */
  public static LoadedModel model(String hash, Text text, Image image) {
    return new LoadedModel(manifest(hash), text, image);
  }

  /**
   * The fake text tower; {@code delayMillis} simulates a slow encoder per call, {@code onEncode}
   * runs inside every call (e.g. to block on a latch or to advance a manual clock).
   */
  public static final class Text implements TextEncoder {
    public final AtomicInteger calls = new AtomicInteger();
    public final AtomicInteger texts = new AtomicInteger();
    public volatile long delayMillis;
    public volatile Runnable onEncode = () -> {};

    @Override
    public int dim() {
      return DIM;
    }

    @Override
    public List<float[]> encode(List<String> batch) {
      if (batch.isEmpty()) {
        throw new IllegalArgumentException("empty batch");
      }
      calls.incrementAndGet();
      texts.addAndGet(batch.size());
      onEncode.run();
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<float[]> out = new ArrayList<>(batch.size());
      for (String t : batch) {
        if (t == null || t.isBlank()) {
          throw new IllegalArgumentException("blank text");
        }
        out.add(embed(t));
      }
      return out;
    }

    @Override
    public dev.shopsearch.core.encode.ActiveProvider executionProvider() {
      return dev.shopsearch.core.encode.ActiveProvider.cpu();
    }

    @Override
    public void close() {}
  }

  /** The fake image tower: dominant RGB channel → that colour's word vector. */
  public static final class Image implements ImageEncoder {
    public final AtomicInteger calls = new AtomicInteger();

    @Override
    public int dim() {
      return DIM;
    }

    @Override
    public int imageSize() {
      return IMAGE_SIZE;
    }

    @Override
    public List<float[]> encode(List<float[]> pixels) {
      if (pixels.isEmpty()) {
        throw new IllegalArgumentException("empty batch");
      }
      calls.incrementAndGet();
      List<float[]> out = new ArrayList<>();
      int plane = IMAGE_SIZE * IMAGE_SIZE;
      for (float[] p : pixels) {
        if (p == null || p.length != 3 * plane) {
          throw new IllegalArgumentException(
              "expected " + 3 * plane + " floats; got " + (p == null ? "null" : p.length));
        }
        double[] mean = new double[3];
        for (int c = 0; c < 3; c++) {
          for (int i = 0; i < plane; i++) {
            mean[c] += p[c * plane + i];
          }
        }
        int best = mean[0] >= mean[1] && mean[0] >= mean[2] ? 0 : mean[1] >= mean[2] ? 1 : 2;
        out.add(embed(new String[] {"red", "green", "blue"}[best]));
      }
      return out;
    }

    @Override
    public dev.shopsearch.core.encode.ActiveProvider executionProvider() {
      return dev.shopsearch.core.encode.ActiveProvider.cpu();
    }

    @Override
    public void close() {}
  }
}
