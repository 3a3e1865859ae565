package dev.shopsearch.trainer.train;

import java.util.Locale;

/**
 * Retrieval recall on a validation set, both directions. An item counts as found at K when any item
 * of the same group (same product or look) is among the top K.
 *
 * @param i2t1 image→text recall@1
 * @param i2t5 image→text recall@5
 * @param i2t10 image→text recall@10
 * @param t2i1 text→image recall@1
 * @param t2i5 text→image recall@5
 * @param t2i10 text→image recall@10
 * @param n number of query pairs
 */
public record Recall(
    double i2t1, double i2t5, double i2t10, double t2i1, double t2i5, double t2i10, int n) {

  /** Mean of both directions' R@10 (the early-stopping criterion). */
  public double r10() {
    return (i2t10 + t2i10) / 2;
  }

  /**
   * Early-stopping score: mean R@10 of both directions, ties (common once R@10 saturates) broken by
   * R@1 and R@5: {@code r10 + 0.001 * mean(R@1, R@5 of both directions)}.
   */
  public double selectionScore() {
    return r10() + 0.001 * (i2t1 + i2t5 + t2i1 + t2i5) / 4;
  }

  /**
   * Computes recall from unit-norm embeddings.
   *
   * @param image image embeddings, one row per pair
   * @param text text embeddings, row i pairs with image row i
   * @param groups group per row
   */
  public static Recall compute(float[][] image, float[][] text, int[] groups) {
    int n = groups.length;
    if (n == 0) {
      return new Recall(0, 0, 0, 0, 0, 0, 0);
    }
    int[] i2t = ranks(image, text, groups);
    int[] t2i = ranks(text, image, groups);
    return new Recall(at(i2t, 1), at(i2t, 5), at(i2t, 10), at(t2i, 1), at(t2i, 5), at(t2i, 10), n);
  }

  /** 0-based rank of the best-ranked relevant target for each query. */
  private static int[] ranks(float[][] q, float[][] t, int[] groups) {
    int n = groups.length;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      float best = Float.NEGATIVE_INFINITY;
      float[] s = new float[n];
      for (int j = 0; j < n; j++) {
        s[j] = dot(q[i], t[j]);
        if (groups[j] == groups[i] && s[j] > best) {
          best = s[j];
        }
      }
      int rank = 0;
      for (int j = 0; j < n; j++) {
        if (groups[j] != groups[i] && s[j] > best) {
          rank++;
        }
      }
      out[i] = rank;
    }
    return out;
  }

  private static double at(int[] ranks, int k) {
    int hit = 0;
    for (int r : ranks) {
      if (r < k) {
        hit++;
      }
    }
    return hit / (double) ranks.length;
  }

  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "i2t R@1/5/10 %.3f/%.3f/%.3f  t2i R@1/5/10 %.3f/%.3f/%.3f  (n=%d)",
        i2t1,
        i2t5,
        i2t10,
        t2i1,
        t2i5,
        t2i10,
        n);
  }
}
