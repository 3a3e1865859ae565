package dev.shopsearch.core.search;

import dev.shopsearch.core.fusion.RankedList;
import java.util.Map;

/**
 * A ranked list of products from one view: each product at most once, best first.
 *
 * @param keys the products' keys in the view ({@link ProductIndexView}), best first
 * @param scores the score of each key (kNN: the similarity score; BM25: the text score)
 * @param bestImage kNN only: the key of each product's best-matching image, resolved by {@link
 *     ProductIndexView#imageRef}; empty for BM25
 */
public record RankedProducts(
    int[] keys, Map<Integer, Float> scores, Map<Integer, Integer> bestImage) {

  /** An empty list. */
  public static RankedProducts empty() {
    return new RankedProducts(new int[0], Map.of(), Map.of());
  }

  /** The list as core's fusion takes it. */
  public RankedList ranked() {
    float[] s = new float[keys.length];
    for (int i = 0; i < keys.length; i++) {
      s[i] = scores.get(keys[i]);
    }
    return new RankedList(keys, s);
  }
}
