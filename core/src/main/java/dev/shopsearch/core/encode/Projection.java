package dev.shopsearch.core.encode;

import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A linear projection {@code y = x W} applied after pooling, with {@code W} of shape {@code [width,
 * dim]} read from a safetensors tensor named {@code weight}. Immutable, thread-safe.
 */
final class Projection {
  private final int width;
  private final int dim;
  private final float[] weight;

  private Projection(int width, int dim, float[] weight) {
    this.width = width;
    this.dim = dim;
    this.weight = weight;
  }

  /**
   * Loads a projection and checks its output size.
   *
   * @throws BundleException if the tensor is missing, not rank 2, or its columns are not {@code
   *     dim}
   */
  static Projection load(Path file, int dim) {
    FloatTensor t;
    try {
      t = Safetensors.readFloats(file, "weight"::equals).get("weight");
    } catch (IOException e) {
      throw new BundleException("projection " + file + ": " + e.getMessage(), e);
    }
    if (t == null) {
      throw new BundleException("projection " + file + ": no tensor named 'weight'");
    }
    long[] shape = t.shape();
    if (shape.length != 2 || shape[1] != dim || shape[0] < 1) {
      throw new BundleException(
          String.format(
              Locale.ROOT,
              "projection %s: tensor 'weight' has shape %s; expected [width, %d] (manifest dim)",
              file,
              Arrays.toString(shape),
              dim));
    }
    return new Projection((int) shape[0], dim, t.data());
  }

  /** Rows of {@code W}: the pooled width this projection expects. */
  int width() {
    return width;
  }

  /** {@code x W}; {@code x} has {@link #width()} values. */
  float[] apply(float[] x) {
    float[] y = new float[dim];
    for (int i = 0; i < width; i++) {
      float xi = x[i];
      if (xi == 0f) {
        continue;
      }
      int row = i * dim;
      for (int j = 0; j < dim; j++) {
        y[j] += xi * weight[row + j];
      }
    }
    return y;
  }
}
