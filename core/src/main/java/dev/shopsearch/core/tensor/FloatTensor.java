package dev.shopsearch.core.tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * A named dense float tensor in row-major order.
 *
 * @param shape dimensions ({@code []} for a scalar)
 * @param data {@code product(shape)} values, row-major
 */
public record FloatTensor(long[] shape, float[] data) {

  public FloatTensor {
    shape = shape.clone();
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "shape %s needs %d values, got %d",
              Arrays.toString(shape),
              n,
              data.length));
    }
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatTensor t
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "FloatTensor" + Arrays.toString(shape);
  }
}
