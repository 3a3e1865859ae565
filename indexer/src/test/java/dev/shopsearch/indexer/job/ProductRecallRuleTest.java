package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/** The recall rule and the queries both backends' verifiers share. */
class ProductRecallRuleTest {

  private static List<PriorityQueue<Float>> topK(int k, float... productScores) {
    List<PriorityQueue<Float>> heaps = new ArrayList<>(List.of(new PriorityQueue<>()));
    for (float s : productScores) {
      ProductRecall.offerTopK(heaps, new float[] {s}, k);
    }
    return heaps;
  }

  @Test
  void aProductCountsWhenItReachesTheKthBestExactScoreTiesIncluded() {
    PriorityQueue<Float> exact = topK(2, 0.9f, 0.5f, 0.8f, 0.1f).get(0); // top 2: 0.9, 0.8
    assertThat(ProductRecall.queryRecall(exact, List.of(0.9f, 0.8f), 2)).isEqualTo(1.0);
    assertThat(ProductRecall.queryRecall(exact, List.of(0.9f, 0.5f), 2)).isEqualTo(0.5);
    assertThat(ProductRecall.queryRecall(exact, List.of(0.5f, 0.1f), 2)).isZero();
    assertThat(ProductRecall.queryRecall(exact, List.of(0.8f, 0.8f), 2)).as("a tie").isEqualTo(1.0);
    assertThat(ProductRecall.queryRecall(new PriorityQueue<>(), List.of(), 2)).isEqualTo(1.0);
  }

  @Test
  void queriesAreSeededNormalisedSums() {
    List<float[]> sample = List.of(new float[] {1, 0}, new float[] {0, 1}, new float[] {1, 1});
    float[][] a = ProductRecall.combine(sample, 5, 7);
    float[][] b = ProductRecall.combine(sample, 5, 7);
    assertThat(a).isDeepEqualTo(b);
    for (float[] q : a) {
      assertThat(Math.sqrt(q[0] * q[0] + q[1] * q[1]))
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }
  }
}
