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
}
