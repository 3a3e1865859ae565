package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BatchGroupsTest {

  @Test
  void rowsSharingAProductOrACaptionAreOneGroupTransitively() {
    float[] menBlack = {1f};
    float[] nameA = {2f};
    float[] nameB = {3f};
    float[] nameC = {2f}; // equal values, but another caption (another array)
    // rows: 0 product 7 "men black", 1 product 8 "name a", 2 product 9 "men black",
    //       3 product 8 "name b", 4 product 10 "name c"
    int[] merged =
        BatchGroups.merge(
            new int[] {7, 8, 9, 8, 10}, new float[][] {menBlack, nameA, menBlack, nameB, nameC});
    assertThat(merged[0]).isEqualTo(merged[2]); // same caption text
    assertThat(merged[1]).isEqualTo(merged[3]); // same product
    assertThat(merged[0]).isNotEqualTo(merged[1]);
    assertThat(merged[4]).isNotEqualTo(merged[1]).isNotEqualTo(merged[0]);

    // Transitive: product 8's rows and a third row sharing "name b" become one group.
    int[] chain =
        BatchGroups.merge(new int[] {1, 2, 2, 3}, new float[][] {nameA, nameB, menBlack, nameA});
    assertThat(chain[0]).isEqualTo(chain[3]);
    assertThat(chain[1]).isEqualTo(chain[2]);
    assertThat(chain[0]).isNotEqualTo(chain[1]);
  }
}
