package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Hard-negative batches from the frozen image features: each example's nearest neighbours (cosine
 * of the unit-norm features, other groups only) are computed once; an epoch then fills a share of
 * every batch with small clusters (an anchor and its not-yet-used neighbours), so look-alike photos
 * of different products meet as negatives, and the rest of the batch with the shuffled remainder.
 * Every example appears exactly once per epoch. Immutable after construction; {@link #epoch} is
 * thread-safe given its own {@code Random}.
 */
final class NeighbourBatches {

  private static final int ROW_CHUNK = 256;

  private final int[][] neighbours;
  private final int cluster;
  private final double share;

  /**
   * @param features unit-norm rows
   * @param groups group per row (rows of one group are never neighbours)
   * @param cluster examples per cluster (anchor plus neighbours), [2, 256]
   * @param share share of each batch filled with clusters, (0, 1]
   */
  NeighbourBatches(float[][] features, int[] groups, int cluster, double share) {
    if (cluster < 2 || cluster > 256) {
      throw new IllegalArgumentException("cluster must be in [2, 256]; cluster=" + cluster);
    }
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1]; share=" + share);
    }
    this.cluster = cluster;
    this.share = share;
    this.neighbours = nearest(features, groups, cluster - 1);
  }

  /** The {@code k} nearest rows of other groups for every row, best first. */
  int[][] neighbours() {
    return neighbours;
  }

  /** Row indices in epoch order; consecutive runs of {@code batch} rows form the batches. */
  List<Integer> epoch(int batch, Random rnd) {
    int n = neighbours.length;
    List<Integer> shuffled = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      shuffled.add(i);
    }
    Collections.shuffle(shuffled, rnd);
    boolean[] used = new boolean[n];
    List<Integer> out = new ArrayList<>(n);
    int anchor = 0;
    int filler = 0;
    int clustered = Math.max(cluster, (int) Math.round(batch * share));
    while (out.size() < n) {
      int start = out.size();
      while (out.size() - start < clustered && anchor < n) {
        int a = shuffled.get(anchor++);
        if (used[a]) {
          continue;
        }
        used[a] = true;
        out.add(a);
        for (int j : neighbours[a]) {
          if (out.size() - start >= clustered) {
            break;
          }
          if (!used[j]) {
            used[j] = true;
            out.add(j);
          }
        }
      }
      while (out.size() - start < batch && filler < n) {
        int f = shuffled.get(filler++);
        if (!used[f]) {
          used[f] = true;
          out.add(f);
        }
      }
    }
    return out;
  }

  private static int[][] nearest(float[][] x, int[] groups, int k) {
    int n = x.length;
    int w = x[0].length;
    int[][] out = new int[n][];
    try (NDManager m = NDManager.newBaseManager()) {
      float[] flat = new float[n * w];
      for (int i = 0; i < n; i++) {
        System.arraycopy(x[i], 0, flat, i * w, w);
      }
      NDArray all = m.create(flat, new Shape(n, w));
      NDArray allT = all.transpose();
      for (int from = 0; from < n; from += ROW_CHUNK) {
        int to = Math.min(n, from + ROW_CHUNK);
        float[] sims;
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          sims = all.get(from + ":" + to).matMul(allT).toFloatArray();
        }
        for (int i = from; i < to; i++) {
          int self = i;
          out[i] = TopK.of(sims, (i - from) * n, n, k, j -> groups[j] == groups[self]);
        }
      }
    }
    return out;
  }
}
