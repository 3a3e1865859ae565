package dev.shopsearch.indexer.calibrate;

import java.util.List;
import java.util.Set;

/** Binary-relevance ranking metrics at a cut-off. Stateless. */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * nDCG@k: DCG of the ranking (gain 1 per relevant key at rank r: {@code 1 / log2(r + 1)}) over
   * the DCG of an ideal ranking of {@code min(k, |relevant|)} relevant keys.
   */
  public static double ndcg(List<Integer> ranking, Set<Integer> relevant, int k) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      if (relevant.contains(ranking.get(i))) {
        dcg += 1 / log2(i + 2);
      }
    }
    double ideal = 0;
    for (int i = 0; i < Math.min(k, relevant.size()); i++) {
      ideal += 1 / log2(i + 2);
    }
    return ideal == 0 ? 0 : dcg / ideal;
  }

  /**
   * R@k: relevant keys in the first {@code k} over {@code min(k, |relevant|)}, so that a query with
   * more than {@code k} relevant products can still reach 1 (for a single relevant product it is
   * the hit rate).
   */
  public static double recall(List<Integer> ranking, Set<Integer> relevant, int k) {
    int found = 0;
    for (int i = 0; i < Math.min(k, ranking.size()); i++) {
      if (relevant.contains(ranking.get(i))) {
        found++;
      }
    }
    int best = Math.min(k, relevant.size());
    return best == 0 ? 0 : found / (double) best;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
