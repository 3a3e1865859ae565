package dev.shopsearch.indexer.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.FusionStrategy;
import dev.shopsearch.core.fusion.RankedList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FusionCalibratorTest {

  @Test
  void metricsOnHandMadeRankings() {
    Set<Integer> relevant = Set.of(1, 2);
    assertThat(RankingMetrics.ndcg(List.of(1, 2, 3), relevant, 10)).isCloseTo(1, within(1e-12));
    double dcg = 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(4) / Math.log(2));
    double ideal = 1 + 1 / (Math.log(3) / Math.log(2));
    assertThat(RankingMetrics.ndcg(List.of(9, 1, 2), relevant, 10))
        .isCloseTo(dcg / ideal, within(1e-12));
    assertThat(RankingMetrics.ndcg(List.of(9, 8), relevant, 10)).isZero();
    assertThat(RankingMetrics.recall(List.of(9, 1, 7), relevant, 10)).isEqualTo(0.5);
    // more relevant products than k: R@k is out of k
    assertThat(RankingMetrics.recall(List.of(1, 2), Set.of(1, 2, 3, 4), 2)).isEqualTo(1.0);
  }

  /**
   * Seeded synthetic queries: each has 3 relevant keys among 200; the "good" list puts them in its
   * first 5 places, the "poor" list finds one of them somewhere in its first 40.
   */
  private static List<ListRetriever.Lists> queries(Random random, int n, boolean vectorGood) {
    List<ListRetriever.Lists> out = new ArrayList<>();
    for (int q = 0; q < n; q++) {
      List<Integer> pool = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        pool.add(i);
      }
      Collections.shuffle(pool, random);
      Set<Integer> relevant = new HashSet<>(pool.subList(0, 3));
      List<Integer> others = pool.subList(3, pool.size());
      RankedList good = list(placed(new ArrayList<>(relevant), others, random, 5));
      RankedList poor =
          list(placed(List.of(pool.get(random.nextInt(3))), others.subList(50, 150), random, 40));
      out.add(
          new ListRetriever.Lists(
              new JudgedQuery("q" + q, "name", relevant),
              vectorGood ? good : poor,
              vectorGood ? poor : good));
    }
    return out;
  }

  /** {@code hits} scattered over the first {@code within} places of a 60-long list of others. */
  private static List<Integer> placed(
      List<Integer> hits, List<Integer> others, Random random, int within) {
    List<Integer> list = new ArrayList<>(others.subList(0, 60));
    for (int h : hits) {
      list.add(random.nextInt(Math.min(within, list.size())), h);
    }
    return list;
  }

  private static RankedList list(List<Integer> keys) {
    int[] k = new int[keys.size()];
    float[] s = new float[keys.size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = keys.get(i);
      s[i] = 1f - i / 100f;
    }
    return new RankedList(k, s);
  }

  private static FusionCalibrator.Score score(List<FusionCalibrator.Score> all, String variant) {
    return all.stream().filter(s -> s.variant().equals(variant)).findFirst().orElseThrow();
  }

  @Test
  void theBetterListIsWeightedUpAndFusionNeverLosesToIt() {
    for (boolean vectorGood : new boolean[] {true, false}) {
      Random random = new Random(vectorGood ? 1 : 2);
      FusionCalibrator.Result r =
          new FusionCalibrator(10, 20, 60)
              .calibrate(queries(random, 150, vectorGood), queries(random, 150, vectorGood));
      double better = vectorGood ? r.chosen().vectorWeight() : r.chosen().lexicalWeight();
      double worse = vectorGood ? r.chosen().lexicalWeight() : r.chosen().vectorWeight();
      assertThat(better).as("vectorGood=%s: %s", vectorGood, r.chosen()).isGreaterThan(worse);

      String betterList = vectorGood ? "vector" : "lexical";
      double single = score(r.heldOut(), betterList).ndcg();
      // equal RRF loses to the better list here: the poor list drags it down
      assertThat(score(r.heldOut(), "equal-rrf").ndcg()).isLessThan(single);
      String chosen =
          r.chosen().strategy() == FusionStrategy.RRF ? "calibrated-rrf" : "calibrated-score";
      assertThat(score(r.heldOut(), chosen).ndcg()).isGreaterThanOrEqualTo(single - 0.01);
      assertThat(score(r.calibration(), chosen).ndcg())
          .isGreaterThanOrEqualTo(score(r.calibration(), betterList).ndcg());
    }
  }

  /**
   * Queries with three lists: the semantic list is the good one, image and BM25 lists are poor and
   * disagree with each other.
   */
  private static List<ListRetriever.Lists> semanticQueries(Random random, int n) {
    List<ListRetriever.Lists> out = new ArrayList<>();
    for (ListRetriever.Lists l : queries(random, n, true)) {
      // queries(…, true) makes vector good and lexical poor: move the good list to semantic and
      // make a second poor one for the image list
      List<Integer> keys = new ArrayList<>();
      for (int k : l.lexical().keys()) {
        keys.add(k);
      }
      Collections.reverse(keys);
      out.add(new ListRetriever.Lists(l.query(), list(keys), l.lexical(), l.vector()));
    }
    return out;
  }

  @Test
  void withASemanticListTheThreeWeightsAreCalibratedOnTheSimplex() {
    Random random = new Random(3);
    FusionCalibrator calibrator = new FusionCalibrator(10, 10, 60);
    FusionCalibrator.Result r =
        calibrator.calibrate(semanticQueries(random, 150), semanticQueries(random, 150));
    FusionSettings chosen = r.chosen();
    assertThat(chosen.semanticWeight())
        .as("%s", chosen)
        .isGreaterThan(chosen.vectorWeight())
        .isGreaterThan(chosen.lexicalWeight());
    assertThat(chosen.vectorWeight() + chosen.lexicalWeight() + chosen.semanticWeight())
        .isCloseTo(1, within(1e-9));
    assertThat(r.bestTwoList()).isNotNull();
    assertThat(r.bestTwoList().semanticWeight()).isZero();
    assertThat(r.heldOut())
        .extracting(FusionCalibrator.Score::variant)
        .containsExactly(
            "lexical",
            "vector",
            "semantic",
            "equal-rrf",
            "calibrated-2list",
            "calibrated-rrf",
            "calibrated-score");
    String best = chosen.strategy() == FusionStrategy.RRF ? "calibrated-rrf" : "calibrated-score";
    // three lists beat the best two-list fusion when the third list is the good one, and are never
    // worse than it on the half they were chosen on
    assertThat(score(r.heldOut(), best).ndcg())
        .isGreaterThan(score(r.heldOut(), "calibrated-2list").ndcg());
    assertThat(score(r.calibration(), best).ndcg())
        .isGreaterThanOrEqualTo(score(r.calibration(), "semantic").ndcg());

    // without a semantic list: the two-list grid and report, as before
    FusionCalibrator.Result two =
        calibrator.calibrate(queries(random, 50, true), queries(random, 50, true));
    assertThat(two.bestTwoList()).isNull();
    assertThat(two.chosen().semanticWeight()).isZero();
    assertThat(two.heldOut())
        .extracting(FusionCalibrator.Score::variant)
        .doesNotContain("semantic");
  }

  @Test
  void nameQueriesAreJudgedWithoutTheSemanticList() {
    RankedList some = list(List.of(1, 2, 3));
    ListRetriever.Lists name =
        new ListRetriever.Lists(new JudgedQuery("Red Shirt", "name", Set.of(1)), some, some, some);
    ListRetriever.Lists attributes =
        new ListRetriever.Lists(
            new JudgedQuery("red shirt", "attributes", Set.of(1)), some, some, some);
    assertThat(Calibration.maskedOnNames(name).semantic().size()).isZero();
    assertThat(Calibration.maskedOnNames(name).lexical()).isSameAs(some);
    assertThat(Calibration.maskedOnNames(attributes)).isSameAs(attributes);
  }
}
