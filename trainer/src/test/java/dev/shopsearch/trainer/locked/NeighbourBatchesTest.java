package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NeighbourBatchesTest {

  /** Unit vectors at angles with growing gaps (no ties): neighbours are known. */
  private static float[][] arc(int n) {
    float[][] x = new float[n][];
    for (int i = 0; i < n; i++) {
      double a = i * 0.01 + i * i * 1e-4;
      x[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a)};
    }
    return x;
  }

  @Test
  void neighboursAreTheNearestRowsOfOtherGroups() {
    int[] groups = new int[40];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = i / 2; // pairs share a group
    }
    NeighbourBatches nb = new NeighbourBatches(arc(40), groups, 3, 0.5);
    // Row 10 (group 5 = rows 10, 11): the nearest other-group rows are 9 (gap 0.0119), then 8
    // (0.0236; row 12 is 0.0244 away).
    assertThat(nb.neighbours()[10]).containsExactly(9, 8);
    assertThat(nb.neighbours()[11]).containsExactly(12, 9);
    for (int i = 0; i < 40; i++) {
      for (int j : nb.neighbours()[i]) {
        assertThat(groups[j]).isNotEqualTo(groups[i]);
        assertThat(Math.abs(j - i)).isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void everyRowOncePerEpochWithLookAlikeClustersInEachBatch() {
    int n = 203;
    int[] groups = new int[n];
    for (int i = 0; i < n; i++) {
      groups[i] = i;
    }
    NeighbourBatches nb = new NeighbourBatches(arc(n), groups, 4, 0.5);
    Random rnd = new Random(3);
    List<Integer> order = nb.epoch(32, rnd);
    assertThat(order).hasSize(n);
    assertThat(new HashSet<>(order)).hasSize(n);
    // The first half of each full batch comes in clusters of look-alikes (neighbouring rows on
    // the arc): most consecutive rows there are close, while in the shuffled rest few are.
    double clustered = 0;
    double rest = 0;
    int batches = n / 32;
    for (int b = 0; b < batches; b++) {
      List<Integer> batch = order.subList(b * 32, (b + 1) * 32);
      clustered += closeShare(batch.subList(0, 16));
      rest += closeShare(batch.subList(16, 32));
    }
    assertThat(clustered / batches).isGreaterThan(0.6);
    assertThat(rest / batches).isLessThan(0.2);
    // Another epoch is another order.
    assertThat(nb.epoch(32, rnd)).isNotEqualTo(order);
  }

  /** Share of consecutive rows at most 4 apart on the arc. */
  private static double closeShare(List<Integer> rows) {
    int close = 0;
    for (int i = 1; i < rows.size(); i++) {
      if (Math.abs(rows.get(i) - rows.get(i - 1)) <= 4) {
        close++;
      }
    }
    return close / (double) (rows.size() - 1);
  }

  @Test
  void rejectsBadSettings() {
    float[][] x = arc(4);
    int[] g = {0, 1, 2, 3};
    assertThatThrownBy(() -> new NeighbourBatches(x, g, 1, 0.5)).hasMessageContaining("cluster=1");
    assertThatThrownBy(() -> new NeighbourBatches(x, g, 4, 0)).hasMessageContaining("share=0");
  }

  @Test
  void topKSkipsAndOrders() {
    float[] s = {0.1f, 0.9f, 0.5f, 0.9f, 0.7f};
    assertThat(TopK.of(s, 0, 5, 3, j -> false)).containsExactly(1, 3, 4);
    assertThat(TopK.of(s, 0, 5, 3, j -> j == 1)).containsExactly(3, 4, 2);
    assertThat(TopK.of(s, 2, 3, 10, j -> false)).containsExactly(1, 2, 0);
    Set<Integer> none = new HashSet<>(new ArrayList<Integer>());
    assertThat(TopK.of(s, 0, 5, 2, j -> !none.contains(j))).isEmpty();
  }
}
