package dev.shopsearch.core.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses the ranked lists of one search (image kNN, BM25, semantic text kNN) with {@link
 * FusionSettings}: weighted RRF or weighted min-max-normalised scores ({@link FusionStrategy}), a
 * sum over the lists a key is in. A list with weight 0 contributes nothing but its keys still
 * appear (after every key with a positive score, in that list's order). Ties keep the order of
 * first appearance, vector list first, then lexical, then semantic. Stateless.
 */
public final class WeightedFusion {
  private WeightedFusion() {}

  /** A fused entry: the key and its fused score. */
  public record Fused(int key, double score) {}

  /**
   * Fuses the kNN and BM25 lists (no semantic list).
   *
   * @param settings strategy, RRF constant and weights
   * @param vector the kNN list (may be empty)
   * @param lexical the BM25 list (may be empty)
   * @return every key of either list once, best first
   */
  public static List<Fused> fuse(FusionSettings settings, RankedList vector, RankedList lexical) {
    return fuse(settings, vector, lexical, RankedList.empty());
  }

  /**
   * Fuses three lists.
   *
   * @param settings strategy, RRF constant and the three weights
   * @param vector the image kNN list (may be empty)
   * @param lexical the BM25 list (may be empty)
   * @param semantic the text-vector kNN list (may be empty)
   * @return every key of any list once, best first
   */
  public static List<Fused> fuse(
      FusionSettings settings, RankedList vector, RankedList lexical, RankedList semantic) {
    Map<Integer, double[]> scores = new LinkedHashMap<>();
    add(scores, settings, vector, settings.vectorWeight());
    add(scores, settings, lexical, settings.lexicalWeight());
    add(scores, settings, semantic, settings.semanticWeight());
    List<Fused> out = new ArrayList<>(scores.size());
    scores.forEach((key, s) -> out.add(new Fused(key, s[0])));
    // Stable sort: equal scores keep first-appearance order.
    out.sort(Comparator.comparingDouble(Fused::score).reversed());
    return out;
  }

  private static void add(
      Map<Integer, double[]> scores, FusionSettings s, RankedList list, double weight) {
    if (list.size() == 0) {
      return;
    }
    float[] raw = list.scores();
    double max = raw[0];
    double min = raw[0];
    for (float f : raw) {
      max = Math.max(max, f);
      min = Math.min(min, f);
    }
    double range = max - min;
    for (int i = 0; i < list.size(); i++) {
      double contribution =
          switch (s.strategy()) {
            case RRF -> weight / (s.rrfK() + i + 1);
            case SCORE -> weight * (range == 0 ? 1.0 : (raw[i] - min) / range);
          };
      scores.computeIfAbsent(list.keys()[i], x -> new double[1])[0] += contribution;
    }
  }
}
