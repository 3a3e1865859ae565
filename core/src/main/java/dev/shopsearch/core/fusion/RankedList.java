package dev.shopsearch.core.fusion;

import java.util.Objects;

/**
 * One ranked list: keys best first, each at most once, with the score that ranked it (higher is
 * better; BM25, or the vector similarity).
 *
 * @param keys the keys (product parent doc ids), best first
 * @param scores the score of each key, same order, non-increasing
 */
public record RankedList(int[] keys, float[] scores) {
  public RankedList {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(scores, "scores");
    if (keys.length != scores.length) {
      throw new IllegalArgumentException(
          "ranked list: " + keys.length + " keys but " + scores.length + " scores");
    }
  }

  /** An empty list. */
  public static RankedList empty() {
    return new RankedList(new int[0], new float[0]);
  }

  /** Number of entries. */
  public int size() {
    return keys.length;
  }

  /**
   * The 1-based rank of each entry, ties shared ("1224" competition ranking): an entry whose score
   * equals the previous one's has that entry's rank. Products with equal scores (in BM25: products
   * whose matched text is alike) come in whatever order the engine found them — document order,
   * which differs between backends, shards and replicas — so a rank that fusion or a user reads
   * must not depend on it.
   */
  public int[] ranks() {
    int[] out = new int[keys.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = i > 0 && scores[i] == scores[i - 1] ? out[i - 1] : i + 1;
    }
    return out;
  }
}
