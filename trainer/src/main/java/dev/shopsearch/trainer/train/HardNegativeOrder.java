package dev.shopsearch.trainer.train;

import dev.shopsearch.trainer.data.Example;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Orders an epoch so that each batch holds a block of examples from one category (other products of
 * the same kind are harder negatives than random ones) and fills the rest from the shuffled
 * remainder. Every example appears exactly once.
 */
final class HardNegativeOrder {

  private HardNegativeOrder() {}

  /**
   * Rearranges {@code shuffled}.
   *
   * @param batch batch size
   * @param fraction share of each batch taken from one category, in (0, 1]
   */
  static List<Example> arrange(List<Example> shuffled, int batch, double fraction, Random rnd) {
    int block = Math.max(2, (int) Math.round(batch * fraction));
    Map<String, Deque<Integer>> byCategory = new LinkedHashMap<>();
    for (int i = 0; i < shuffled.size(); i++) {
      String c = shuffled.get(i).category();
      if (!c.isEmpty()) {
        byCategory.computeIfAbsent(c, k -> new ArrayDeque<>()).add(i);
      }
    }
    boolean[] used = new boolean[shuffled.size()];
    List<Example> out = new ArrayList<>(shuffled.size());
    int cursor = 0;
    List<String> categories = new ArrayList<>(byCategory.keySet());
    while (out.size() < shuffled.size()) {
      int start = out.size();
      categories.removeIf(c -> byCategory.get(c).stream().allMatch(i -> used[i]));
      if (!categories.isEmpty()) {
        Deque<Integer> q = byCategory.get(categories.get(rnd.nextInt(categories.size())));
        while (out.size() - start < block && !q.isEmpty()) {
          int i = q.poll();
          if (!used[i]) {
            used[i] = true;
            out.add(shuffled.get(i));
          }
        }
      }
      while (out.size() - start < batch && cursor < shuffled.size()) {
        if (!used[cursor]) {
          used[cursor] = true;
          out.add(shuffled.get(cursor));
        }
        cursor++;
      }
    }
    return out;
  }
}
