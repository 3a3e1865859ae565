package dev.shopsearch.core.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightedFusionTest {

  private static RankedList list(int... keys) {
    float[] scores = new float[keys.length];
    for (int i = 0; i < keys.length; i++) {
      scores[i] = keys.length - i;
    }
    return new RankedList(keys, scores);
  }

  private static List<Integer> keys(List<WeightedFusion.Fused> fused) {
    return fused.stream().map(WeightedFusion.Fused::key).toList();
  }

  @Test
  void equalRrfRewardsItemsInBothLists() {
    List<WeightedFusion.Fused> fused =
        WeightedFusion.fuse(FusionSettings.EQUAL_RRF, list(1, 2, 3), list(3, 4, 1));
    assertThat(keys(fused)).containsExactly(1, 3, 2, 4);
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 63, within(1e-12));
  }

  @Test
  void tiesKeepFirstAppearanceVectorFirst() {
    FusionSettings s = new FusionSettings(FusionStrategy.RRF, 10, 1, 1);
    assertThat(keys(WeightedFusion.fuse(s, list(7, 8), list(8, 7)))).containsExactly(7, 8);
    assertThat(WeightedFusion.fuse(s, RankedList.empty(), RankedList.empty())).isEmpty();
  }

  @Test
  void weightedRrfLetsTheHeavierListLead() {
    // Equal weights: 2 (ranks 2 and 1) beats 1 (ranks 1 and 3).
    assertThat(keys(WeightedFusion.fuse(FusionSettings.EQUAL_RRF, list(1, 2, 9), list(2, 8, 1))))
        .startsWith(2, 1);
    // The vector list three times heavier: its first item leads.
    FusionSettings vectorHeavy = FusionSettings.EQUAL_RRF.withWeights(3, 1);
    assertThat(keys(WeightedFusion.fuse(vectorHeavy, list(1, 2, 9), list(2, 8, 1))))
        .startsWith(1, 2);
  }

  @Test
  void aZeroWeightListOnlyAppendsItsKeys() {
    FusionSettings lexicalOnly = FusionSettings.EQUAL_RRF.withWeights(0, 1);
    assertThat(keys(WeightedFusion.fuse(lexicalOnly, list(1, 2, 3), list(3, 4))))
        .containsExactly(3, 4, 1, 2);
  }

  @Test
  void scoreFusionNormalisesEachListToZeroOne() {
    FusionSettings s = new FusionSettings(FusionStrategy.SCORE, 60, 1, 1);
    // vector cosines are close together, BM25 scores far apart: min-max puts both on [0, 1].
    RankedList vector = new RankedList(new int[] {1, 2, 3}, new float[] {0.31f, 0.30f, 0.29f});
    RankedList lexical = new RankedList(new int[] {3, 2}, new float[] {25f, 5f});
    List<WeightedFusion.Fused> fused = WeightedFusion.fuse(s, vector, lexical);
    // 1: 1 + 0; 2: 0.5 + 0; 3: 0 + 1
    assertThat(keys(fused)).containsExactly(1, 3, 2);
    assertThat(fused.get(0).score()).isCloseTo(1.0, within(1e-6));
    assertThat(fused.get(1).score()).isCloseTo(1.0, within(1e-6));
    assertThat(fused.get(2).score()).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void aListOfEqualScoresScalesToOne() {
    FusionSettings s = new FusionSettings(FusionStrategy.SCORE, 60, 2, 1);
    RankedList vector = new RankedList(new int[] {5}, new float[] {0.2f});
    List<WeightedFusion.Fused> fused = WeightedFusion.fuse(s, vector, RankedList.empty());
    assertThat(fused).containsExactly(new WeightedFusion.Fused(5, 2.0));
  }

  /** Seeded random lists: properties that hold for any input. */
  @Test
  void randomListsKeepTheInvariants() {
    Random random = new Random(13);
    for (int round = 0; round < 200; round++) {
      RankedList vector = randomList(random);
      RankedList lexical = randomList(random);
      for (FusionStrategy strategy : FusionStrategy.values()) {
        FusionSettings base = new FusionSettings(strategy, 1 + random.nextInt(100), 1, 1);
        double a = 0.1 + 10 * random.nextDouble();
        double b = 0.1 + 10 * random.nextDouble();
        List<WeightedFusion.Fused> fused =
            WeightedFusion.fuse(base.withWeights(a, b), vector, lexical);
        // Scaling both weights changes no order.
        assertThat(keys(WeightedFusion.fuse(base.withWeights(3 * a, 3 * b), vector, lexical)))
            .isEqualTo(keys(fused));
        // Every key once, best first.
        assertThat(keys(fused)).doesNotHaveDuplicates();
        for (int i = 1; i < fused.size(); i++) {
          assertThat(fused.get(i).score()).isLessThanOrEqualTo(fused.get(i - 1).score());
        }
        // One list weighted 0: that list's order comes out first.
        List<Integer> onlyVector =
            keys(WeightedFusion.fuse(base.withWeights(1, 0), vector, lexical));
        if (strategy == FusionStrategy.RRF) {
          assertThat(onlyVector.subList(0, vector.size())).isEqualTo(boxed(vector.keys()));
        }
      }
    }
  }

  private static List<Integer> boxed(int[] keys) {
    List<Integer> out = new ArrayList<>();
    for (int k : keys) {
      out.add(k);
    }
    return out;
  }

  private static RankedList randomList(Random random) {
    List<Integer> pool = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      pool.add(i);
    }
    Collections.shuffle(pool, random);
    int n = random.nextInt(20);
    int[] keys = new int[n];
    float[] scores = new float[n];
    float s = 10 * random.nextFloat();
    for (int i = 0; i < n; i++) {
      keys[i] = pool.get(i);
      scores[i] = s;
      s -= random.nextFloat();
    }
    return new RankedList(keys, scores);
  }

  @Test
  void settingsRefuseOutOfRangeValuesNamingTheLimit() {
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.RRF, 60, -1, 1))
        .hasMessageContaining("vectorWeight must be in [0, 100]; got -1.0");
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.RRF, 60, 1, Double.NaN))
        .hasMessageContaining("lexicalWeight must be in [0, 100]");
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.RRF, 0, 1, 1))
        .hasMessageContaining("rrfK must be in [1, 10000]; got 0");
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.SCORE, 60, 0, 0))
        .hasMessageContaining("must not all be 0");
    assertThatThrownBy(() -> FusionStrategy.parse("max"))
        .hasMessageContaining("fusion must be one of rrf, score; got 'max'");
  }

  @Test
  void settingsRoundTripThroughUserData() {
    FusionSettings s = new FusionSettings(FusionStrategy.SCORE, 20, 0.35, 0.65);
    assertThat(s.toUserData()).containsEntry("shopsearch.fusion.strategy", "score");
    assertThat(FusionSettings.fromUserData(s.toUserData())).isEqualTo(s);
    assertThat(FusionSettings.fromUserData(java.util.Map.of("shopsearch.dim", "8"))).isNull();
  }

  @Test
  void aThirdListIsFusedWithItsOwnWeight() {
    // product 5 is only in the semantic list; with the semantic weight it outranks what both
    // other lists have once, without it it is last.
    RankedList vector = list(1, 2);
    RankedList lexical = list(2, 3);
    RankedList semantic = list(5, 1);
    FusionSettings three = FusionSettings.equalRrf(60).withWeights(1, 1, 3);
    assertThat(keys(WeightedFusion.fuse(three, vector, lexical, semantic)))
        .containsExactly(1, 5, 2, 3);
    FusionSettings off = three.withWeights(1, 1, 0);
    assertThat(keys(WeightedFusion.fuse(off, vector, lexical, semantic)))
        .containsExactly(2, 1, 3, 5);
    // the two-list call is the three-list call with an empty semantic list
    assertThat(WeightedFusion.fuse(three, vector, lexical))
        .isEqualTo(WeightedFusion.fuse(three, vector, lexical, RankedList.empty()));
    FusionSettings score = new FusionSettings(FusionStrategy.SCORE, 60, 0, 0, 1);
    assertThat(keys(WeightedFusion.fuse(score, vector, lexical, semantic)).subList(0, 2))
        .containsExactly(5, 1);
  }

  @Test
  void settingsWithoutASemanticWeightReadAsZeroAndAllZeroIsRefused() {
    FusionSettings s = new FusionSettings(FusionStrategy.RRF, 60, 0.2, 0.3, 0.5);
    assertThat(s.toUserData()).containsEntry("shopsearch.fusion.weight.semantic", "0.5");
    assertThat(FusionSettings.fromUserData(s.toUserData())).isEqualTo(s);
    java.util.Map<String, String> old = new java.util.HashMap<>(s.toUserData());
    old.remove("shopsearch.fusion.weight.semantic");
    assertThat(FusionSettings.fromUserData(old))
        .isEqualTo(new FusionSettings(FusionStrategy.RRF, 60, 0.2, 0.3));
    assertThat(FusionSettings.fromUserData(old).semanticWeight()).isZero();
    assertThat(new FusionSettings(FusionStrategy.RRF, 60, 0, 0, 1).semanticWeight()).isEqualTo(1);
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.RRF, 60, 0, 0, 0))
        .hasMessageContaining("must not all be 0");
    assertThatThrownBy(() -> new FusionSettings(FusionStrategy.RRF, 60, 1, 1, 101))
        .hasMessageContaining("semanticWeight must be in [0, 100]; got 101.0");
  }
}
