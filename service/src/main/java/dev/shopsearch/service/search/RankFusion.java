package dev.shopsearch.service.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion: a product's fused score is the sum over the ranked lists it appears in of
 * {@code 1 / (k + rank)}, rank starting at 1. Ties keep the order of first appearance (vector list
 * first). Stateless.
 */
public final class RankFusion {
  private RankFusion() {}

  /** A fused entry: the key (product parent doc id) and its fused score. */
  public record Fused(int key, double score) {}

  /**
   * Fuses ranked lists of keys (best first; each key at most once per list).
   *
   * @param k the RRF constant (60 in the original paper)
   * @param lists ranked lists
   * @return all keys, best first
   */
  public static List<Fused> fuse(int k, List<int[]> lists) {
    if (k < 1) {
      throw new IllegalArgumentException("rrf k must be >= 1; k=" + k);
    }
    Map<Integer, double[]> scores = new LinkedHashMap<>();
    for (int[] list : lists) {
      for (int rank = 0; rank < list.length; rank++) {
        scores.computeIfAbsent(list[rank], x -> new double[1])[0] += 1.0 / (k + rank + 1);
      }
    }
    List<Fused> out = new ArrayList<>(scores.size());
    scores.forEach((key, s) -> out.add(new Fused(key, s[0])));
    // Stable sort: equal scores keep first-appearance order.
    out.sort(Comparator.comparingDouble(Fused::score).reversed());
    return out;
  }
}
