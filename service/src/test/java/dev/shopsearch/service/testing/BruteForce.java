package dev.shopsearch.service.testing;

import java.util.List;
import java.util.Map;

/** Exact nearest-product search over a test's image vectors, the reference for kNN results. */
public final class BruteForce {
  private BruteForce() {}

  /** The product whose best image has the highest dot product with {@code q} (unit vectors). */
  public static String best(Map<String, List<float[]>> vectorsByProduct, float[] q) {
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (Map.Entry<String, List<float[]>> e : vectorsByProduct.entrySet()) {
      for (float[] v : e.getValue()) {
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
          dot += q[i] * v[i];
        }
        if (dot > bestScore) {
          bestScore = dot;
          best = e.getKey();
        }
      }
    }
    return best;
  }
}
