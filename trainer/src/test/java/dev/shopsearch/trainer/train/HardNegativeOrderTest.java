package dev.shopsearch.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.trainer.data.Example;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HardNegativeOrderTest {

  @Test
  void everyExampleOnceAndBatchesLeadWithOneCategoryBlock() {
    List<Example> ex = new ArrayList<>();
    String[] cats = {"dress", "skirt", "bag", "cap"};
    for (int i = 0; i < 203; i++) {
      ex.add(new Example("p" + i, "p" + i, List.of("c"), "img" + i, cats[i % cats.length]));
    }
    Collections.shuffle(ex, new Random(1));
    List<Example> out = HardNegativeOrder.arrange(ex, 16, 0.5, new Random(2));

    assertThat(out).hasSize(ex.size()).containsExactlyInAnyOrderElementsOf(ex);
    int sameCategoryBlocks = 0;
    for (int b = 0; b + 16 <= out.size(); b += 16) {
      List<Example> batch = out.subList(b, b + 16);
      String c = batch.get(0).category();
      if (batch.subList(0, 8).stream().allMatch(e -> e.category().equals(c))) {
        sameCategoryBlocks++;
      }
    }
    // all full batches but the last few (when categories run out) lead with an 8-item block
    assertThat(sameCategoryBlocks).isGreaterThanOrEqualTo(10);
  }
}
