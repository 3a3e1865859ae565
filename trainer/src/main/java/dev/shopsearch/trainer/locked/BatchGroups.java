package dev.shopsearch.trainer.locked;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * In-batch "not a negative" groups for the contrastive loss. Rows of one product (or look) share a
 * group already; rows whose chosen caption is the same text must too: a coarse caption such as "men
 * black topwear" describes several photos of a batch equally well, and treating the others as its
 * negatives would train the heads to tell apart what the text cannot. Caption identity is the
 * identity of the feature array ({@link FeatureExtractor} gives each distinct caption one array).
 */
final class BatchGroups {

  private BatchGroups() {}

  /**
   * Merges the groups of rows that share a group or a caption (transitively).
   *
   * @param groups group per row
   * @param captions the caption feature array chosen for each row
   * @return group per row, equal where rows must not be negatives of each other
   */
  static int[] merge(int[] groups, float[][] captions) {
    int b = groups.length;
    int[] parent = new int[b];
    for (int i = 0; i < b; i++) {
      parent[i] = i;
    }
    Map<Integer, Integer> byGroup = new java.util.HashMap<>();
    Map<float[], Integer> byCaption = new IdentityHashMap<>();
    for (int i = 0; i < b; i++) {
      Integer g = byGroup.putIfAbsent(groups[i], i);
      if (g != null) {
        union(parent, g, i);
      }
      Integer c = byCaption.putIfAbsent(captions[i], i);
      if (c != null) {
        union(parent, c, i);
      }
    }
    int[] out = new int[b];
    for (int i = 0; i < b; i++) {
      out[i] = find(parent, i);
    }
    return out;
  }

  private static int find(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  private static void union(int[] parent, int a, int b) {
    int ra = find(parent, a);
    int rb = find(parent, b);
    if (ra != rb) {
      parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
}
