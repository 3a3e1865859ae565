package dev.shopsearch.trainer.locked;

import java.util.Arrays;
import java.util.function.IntPredicate;

/** Partial selection of the best-scoring indices (small k, one pass, no allocation per item). */
final class TopK {

  private TopK() {}

  /**
   * The indices {@code j} in {@code [0, n)} of the {@code k} highest {@code scores[offset + j]},
   * best first (ties: lower index first), leaving out {@code j} where {@code skip} holds. Fewer
   * than {@code k} when fewer are eligible.
   */
  static int[] of(float[] scores, int offset, int n, int k, IntPredicate skip) {
    int m = Math.min(k, n);
    int[] idx = new int[m];
    float[] val = new float[m];
    int size = 0;
    for (int j = 0; j < n && m > 0; j++) {
      if (skip.test(j)) {
        continue;
      }
      float s = scores[offset + j];
      if (size == m && s <= val[m - 1]) {
        continue;
      }
      int pos = size == m ? m - 1 : size++;
      while (pos > 0 && val[pos - 1] < s) {
        val[pos] = val[pos - 1];
        idx[pos] = idx[pos - 1];
        pos--;
      }
      val[pos] = s;
      idx[pos] = j;
    }
    return size == m ? idx : Arrays.copyOf(idx, size);
  }
}
