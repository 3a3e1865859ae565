package dev.shopsearch.tooling.onnx;

/**
 * A {@code [k, n]} row-major float matrix as int8 with one symmetric scale per column: {@code
 * w[i][j] ≈ values[i * n + j] * scales[j]}, values in {@code [-127, 127]}, zero point 0. A column
 * of zeros gets scale 1.
 */
record QuantizedMatrix(byte[] values, float[] scales) {

  static QuantizedMatrix of(float[] w, int k, int n) {
    if ((long) k * n != w.length) {
      throw new IllegalArgumentException(
          "matrix [" + k + ", " + n + "] needs " + ((long) k * n) + " values, got " + w.length);
    }
    float[] scales = new float[n];
    for (int i = 0; i < k; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        float a = Math.abs(w[row + j]);
        if (!Float.isFinite(a)) {
          throw new IllegalArgumentException(
              "weight [" + i + ", " + j + "] is " + w[row + j] + "; cannot quantise");
        }
        scales[j] = Math.max(scales[j], a);
      }
    }
    for (int j = 0; j < n; j++) {
      scales[j] = scales[j] == 0f ? 1f : scales[j] / 127f;
    }
    byte[] values = new byte[w.length];
    for (int i = 0; i < k; i++) {
      int row = i * n;
      for (int j = 0; j < n; j++) {
        int q = Math.round(w[row + j] / scales[j]);
        values[row + j] = (byte) Math.max(-127, Math.min(127, q));
      }
    }
    return new QuantizedMatrix(values, scales);
  }

  /** The dequantised value at row {@code i}, column {@code j}. */
  float get(int i, int j) {
    return values[i * scales.length + j] * scales[j];
  }
}
