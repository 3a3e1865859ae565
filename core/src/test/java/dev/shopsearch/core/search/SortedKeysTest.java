package dev.shopsearch.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SortedKeys#select} (the default {@link ProductIndexView#sortedTop} of remote backends)
 * against a full sort of the set, on seeded random values with ties and missing values.
 */
class SortedKeysTest {
  @Test
  void selectGivesTheFullSortsPagesAndResumesAfterACursor() {
    Random r = new Random(42);
    for (int round = 0; round < 50; round++) {
      int size = 1 + r.nextInt(80);
      int[] keys = new int[size];
      String[] ids = new String[size];
      double[] values = new double[size];
      boolean[] missing = new boolean[size];
      for (int i = 0; i < size; i++) {
        keys[i] = 1000 + i;
        ids[i] = String.format("p%03d", r.nextInt(1000));
        values[i] = r.nextInt(5); // many ties
        missing[i] = r.nextInt(6) == 0;
      }
      SortValues v = new SortValues(ids, values, missing);
      for (boolean descending : new boolean[] {false, true}) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < size; i++) {
          all.add(i);
        }
        Comparator<Integer> order =
            (a, b) ->
                SortedKeys.compare(
                    descending, missing[a], values[a], ids[a], missing[b], values[b], ids[b]);
        all.sort(order.thenComparingInt(i -> keys[i]));
        int n = 1 + r.nextInt(size);
        SortedKeys top = SortedKeys.select(keys, v, descending, null, n);
        assertThat(top.keys()).hasSize(n);
        for (int j = 0; j < n; j++) {
          int expected = all.get(j);
          assertThat(top.values().ids()[j]).isEqualTo(ids[expected]);
          assertThat(top.values().missing()[j]).isEqualTo(missing[expected]);
          if (!missing[expected]) {
            assertThat(top.values().values()[j]).isEqualTo(values[expected]);
          }
        }
        // resume after the last of the page: the next products of the full order
        int last = all.get(n - 1);
        SortPosition after = new SortPosition(missing[last], values[last], ids[last]);
        SortedKeys next = SortedKeys.select(keys, v, descending, after, size);
        List<String> rest = new ArrayList<>();
        for (int i : all) {
          if (SortedKeys.compare(
                  descending,
                  missing[i],
                  values[i],
                  ids[i],
                  after.missing(),
                  after.value(),
                  after.productId())
              > 0) {
            rest.add(ids[i]);
          }
        }
        assertThat(next.values().ids()).containsExactlyElementsOf(rest);
      }
    }
  }

  @Test
  void missingValuesComeLastInBothDirections() {
    SortValues v =
        new SortValues(
            new String[] {"a", "b", "c"},
            new double[] {0, 5, 1},
            new boolean[] {true, false, false});
    assertThat(SortedKeys.select(new int[] {0, 1, 2}, v, false, null, 3).keys())
        .containsExactly(2, 1, 0);
    assertThat(SortedKeys.select(new int[] {0, 1, 2}, v, true, null, 3).keys())
        .containsExactly(1, 2, 0);
  }
}
