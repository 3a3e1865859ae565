package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankFusionTest {

  @Test
  void sumsReciprocalRanksAcrossLists() {
    List<RankFusion.Fused> fused =
        RankFusion.fuse(60, List.of(new int[] {1, 2, 3}, new int[] {3, 4, 1}));
    assertThat(fused).extracting(RankFusion.Fused::key).containsExactly(1, 3, 2, 4);
    assertThat(fused.get(0).score()).isCloseTo(1.0 / 61 + 1.0 / 63, within(1e-12));
    assertThat(fused.get(1).score()).isCloseTo(1.0 / 63 + 1.0 / 61, within(1e-12));
    assertThat(fused.get(2).score()).isCloseTo(1.0 / 62, within(1e-12));
    assertThat(fused.get(3).score()).isCloseTo(1.0 / 62, within(1e-12));
  }

  @Test
  void equalScoresKeepFirstAppearanceOrder() {
    List<RankFusion.Fused> fused = RankFusion.fuse(10, List.of(new int[] {7, 8}, new int[] {8, 7}));
    assertThat(fused).extracting(RankFusion.Fused::key).containsExactly(7, 8);
    assertThat(RankFusion.fuse(10, List.of(new int[0], new int[0]))).isEmpty();
  }
}
