package dev.shopsearch.core.encode;

import dev.shopsearch.core.bundle.Pooling;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.apache.lucene.util.VectorUtil;

/**
 * Turns a tower's float output into one vector per row, per {@link Pooling}, then projects and
 * L2-normalises. Stateless and thread-safe.
 *
 * <p>Layout of {@code out}: {@code [batch, width]} for {@link Pooling#NONE}, otherwise {@code
 * [batch, seq, width]} row-major. {@code lengths[i]} is the number of real (unmasked) positions of
 * row {@code i}; real positions come first (right padding).
 */
final class Pooler {
  private Pooler() {}

  /** The pooled (pre-projection) vector of row {@code row}. */
  static float[] pool(
      FloatBuffer out,
      Pooling pooling,
      int row,
      int seq,
      int width,
      int length,
      long[] mask,
      int maskOffset) {
    float[] v = new float[width];
    switch (pooling) {
      case NONE -> out.get(row * width, v);
      case CLS -> out.get(row * seq * width, v);
      case EOT -> out.get((row * seq + length - 1) * width, v);
      case MEAN -> {
        int base = row * seq * width;
        float count = 0;
        for (int t = 0; t < seq; t++) {
          if (mask != null && mask[maskOffset + t] == 0) {
            continue;
          }
          count++;
          int at = base + t * width;
          for (int j = 0; j < width; j++) {
            v[j] += out.get(at + j);
          }
        }
        for (int j = 0; j < width; j++) {
          v[j] /= count;
        }
      }
    }
    return v;
  }

  /**
   * Scales {@code v} to unit L2 norm in place.
   *
   * @throws EncoderException if the norm is zero or not finite (the model produced a degenerate
   *     vector for this input)
   */
  static float[] normalize(float[] v, String what) {
    float squared = VectorUtil.dotProduct(v, v);
    if (!(squared > 0) || !Float.isFinite(squared)) {
      throw new EncoderException(
          String.format(
              Locale.ROOT,
              "the model produced a vector with norm %s for %s",
              Math.sqrt(squared),
              what));
    }
    return VectorUtil.l2normalize(v);
  }
}
