package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MirrorTest {

  @Test
  void mirrorsEveryRowOfEveryChannel() {
    // 2 channels of 3x3: value = channel * 100 + row * 10 + column
    float[] chw = new float[2 * 3 * 3];
    for (int c = 0; c < 2; c++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 3; x++) {
          chw[c * 9 + y * 3 + x] = c * 100 + y * 10 + x;
        }
      }
    }
    float[] m = FeatureExtractor.mirror(chw, 3);
    assertThat(m)
        .containsExactly(
            2, 1, 0, 12, 11, 10, 22, 21, 20, 102, 101, 100, 112, 111, 110, 122, 121, 120);
    assertThat(FeatureExtractor.mirror(m, 3)).containsExactly(chw);
  }
}
