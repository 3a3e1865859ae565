package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComboPlanTest {

  @Test
  void enumerationIsABijectionOntoAllCombinations() {
    ComboPlan plan = new ComboPlan(3, 0.1);
    Set<AttributeCombo> seen = new HashSet<>();
    for (int j = 0; j < AttributeCombo.COUNT; j++) {
      seen.add(plan.combo(j));
    }
    assertThat(AttributeCombo.COUNT).isEqualTo(12 * 12 * 5);
    assertThat(seen).hasSize(AttributeCombo.COUNT);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 42, -7})
  void everyTwelveConsecutiveProductsCoverEveryValue(long seed) {
    List<AttributeCombo> sequence = new ComboPlan(seed, 0.1).sequence(3 * AttributeCombo.COUNT);
    for (int from = 0; from + ComboPlan.BLOCK <= sequence.size(); from += ComboPlan.BLOCK) {
      List<AttributeCombo> block = sequence.subList(from, from + ComboPlan.BLOCK);
      Set<DemoCategory> categories = EnumSet.noneOf(DemoCategory.class);
      Set<DemoColour> colours = EnumSet.noneOf(DemoColour.class);
      Set<DemoPattern> patterns = EnumSet.noneOf(DemoPattern.class);
      block.forEach(
          c -> {
            categories.add(c.category());
            colours.add(c.colour());
            patterns.add(c.pattern());
          });
      assertThat(categories).as("block at %d", from).hasSize(DemoCategory.values().length);
      assertThat(colours).as("block at %d", from).hasSize(DemoColour.values().length);
      assertThat(patterns).as("block at %d", from).hasSize(DemoPattern.values().length);
    }
    for (int cycle = 0; cycle < 3; cycle++) {
      List<AttributeCombo> one =
          sequence.subList(cycle * AttributeCombo.COUNT, (cycle + 1) * AttributeCombo.COUNT);
      assertThat(new HashSet<>(one)).as("cycle %d", cycle).hasSize(AttributeCombo.COUNT);
    }
  }

  @Test
  void sequenceIsShuffledNotTheEnumerationOrder() {
    ComboPlan plan = new ComboPlan(5, 0.1);
    List<AttributeCombo> a = plan.sequence(AttributeCombo.COUNT);
    List<AttributeCombo> b = new ComboPlan(6, 0.1).sequence(AttributeCombo.COUNT);
    assertThat(a).isNotEqualTo(b);
    int inOrder = 0;
    for (int j = 0; j < a.size(); j++) {
      inOrder += a.get(j).equals(plan.combo(j)) ? 1 : 0;
    }
    assertThat(inOrder).isLessThan(AttributeCombo.COUNT / 5);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.1, 0.25, 0.5})
  void heldOutSetHasTheRequestedSizeAndKeepsEveryPairInTraining(double fraction) {
    ComboPlan plan = new ComboPlan(11, fraction);
    Set<AttributeCombo> heldOut = plan.heldOut();
    assertThat(heldOut.size())
        .isCloseTo(
            (int) Math.round(AttributeCombo.COUNT * fraction),
            org.assertj.core.data.Offset.offset(fraction >= 0.5 ? 40 : 0));
    assertThat(heldOut).doesNotContain(ComboPlan.SHOWCASE);
    Map<String, Integer> trainPerPair = new HashMap<>();
    for (AttributeCombo c : DemoCaptionCorpus.allCombos()) {
      for (String pair : ComboPlan.pairs(c)) {
        trainPerPair.merge(pair, heldOut.contains(c) ? 0 : 1, Integer::sum);
      }
    }
    assertThat(trainPerPair).hasSize(12 * 12 + 12 * 5 + 12 * 5);
    assertThat(trainPerPair.values()).allMatch(n -> n >= ComboPlan.MIN_TRAIN_PER_PAIR);
  }

  @Test
  void heldOutSetDependsOnTheSeedOnly() {
    assertThat(new ComboPlan(9, 0.1).heldOut()).isEqualTo(new ComboPlan(9, 0.1).heldOut());
    assertThat(new ComboPlan(9, 0.1).heldOut()).isNotEqualTo(new ComboPlan(10, 0.1).heldOut());
    assertThat(new ComboPlan(9, 0).heldOut()).isEmpty();
  }
}
