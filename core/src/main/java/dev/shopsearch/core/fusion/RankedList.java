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
   * The 1-based rank of each entry as shown to a user, ties shared ("1224" competition ranking): an
   * entry whose score equals the previous one's has that entry's rank. Products with equal scores
   * (in BM25: products whose matched text is alike) come in whatever order the engine found them —
   * document order, which differs between backends, shards and replicas — so a rank that fusion or
   * a user reads must not depend on it.
   */
  public int[] ranks() {
    int[] out = new int[keys.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = i > 0 && scores[i] == scores[i - 1] ? out[i - 1] : i + 1;
    }
    return out;
  }

  /**
   * The rank fusion reads: the mean of the positions a tie spans ("1 2.5 2.5 4" fractional
   * ranking), the positions themselves without ties. Independent of the order a tie came in, like
   * {@link #ranks()}, and unlike it it does not lift a whole tie to its best position: a tie of
   * twenty products at positions 2–21 weighs in fusion as those positions do on average, not as
   * twenty products at position 2 (which pushed an exact-name BM25 match out of a hybrid top 5).
   */
  public double[] fusionRanks() {
    double[] out = new double[keys.length];
    int i = 0;
    while (i < keys.length) {
      int j = i + 1;
      while (j < keys.length && scores[j] == scores[i]) {
        j++;
      }
      double mean = (i + 1 + j) / 2.0;
      for (int t = i; t < j; t++) {
        out[t] = mean;
      }
      i = j;
    }
    return out;
  }
}
