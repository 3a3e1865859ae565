package dev.shopsearch.service.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.image.ImageFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The decode-cost estimate on an injected clock. */
class DecodeCostTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final DecodeCost cost = new DecodeCost(now::get);

  @Test
  void nothingIsExpectedBeforeTheFirstImage() {
    assertThat(cost.expectedNanos(ImageFormat.PNG, 1_000_000)).isZero();
  }

  /**
   * A small image's time is mostly per-image work: it predicts images up to 16 times its pixels,
   * not a large one (seen in CI: a 16x16 PNG's first decode predicted 32 s for a 400x400 one).
   */
  @Test
  void aSmallImageDoesNotPredictAMuchLargerOne() {
    cost.completed(ImageFormat.PNG, 256, 5_000_000); // a 16x16 PNG in 5 ms (cold decoder)
    assertThat(cost.expectedNanos(ImageFormat.PNG, 160_000)).as("400x400").isZero();
    assertThat(cost.expectedNanos(ImageFormat.PNG, 4_096)).as("64x64").isEqualTo(80_000_000);
    assertThat(cost.expectedNanos(ImageFormat.PNG, 4_097)).isZero();
    cost.completed(ImageFormat.PNG, 160_000, 8_000_000); // the large one, tried: it teaches
    assertThat(cost.expectedNanos(ImageFormat.PNG, 160_000)).isPositive();
  }

  @Test
  void completedImagesAreAveragedPerFormat() {
    cost.completed(ImageFormat.PNG, 1_000_000, 20_000_000); // 20 ns per pixel
    assertThat(cost.expectedNanos(ImageFormat.PNG, 2_000_000)).isEqualTo(40_000_000);
    cost.completed(ImageFormat.PNG, 1_000_000, 30_000_000); // 30: the average moves by 30%
    assertThat(cost.expectedNanos(ImageFormat.PNG, 1_000_000)).isEqualTo(23_000_000);
    assertThat(cost.expectedNanos(ImageFormat.JPEG, 1_000_000)).isZero();
  }

  @Test
  void anAbandonedImageOnlyEverRaisesTheEstimate() {
    cost.completed(ImageFormat.PNG, 1_000_000, 20_000_000);
    cost.abandoned(ImageFormat.PNG, 40_000_000, 500_000_000); // >= 12.5 ns/pixel: proves nothing
    assertThat(cost.expectedNanos(ImageFormat.PNG, 1_000_000)).isEqualTo(20_000_000);
    cost.abandoned(ImageFormat.PNG, 1_000_000, 50_000_000); // >= 50 ns/pixel
    assertThat(cost.expectedNanos(ImageFormat.PNG, 1_000_000)).isEqualTo(50_000_000);
  }

  @Test
  void aStaleEstimateIsIgnoredSoThatAnImageProbesTheCostAgain() {
    cost.abandoned(ImageFormat.PNG, 40_000_000, 500_000_000);
    assertThat(cost.expectedNanos(ImageFormat.PNG, 40_000_000)).isEqualTo(500_000_000);
    now.addAndGet(DecodeCost.PROBE_AFTER.toNanos() + 1);
    assertThat(cost.expectedNanos(ImageFormat.PNG, 40_000_000)).isZero();
  }

  @Test
  void repeatedlyAbandonedImagesAreProbedLessAndLessOften() {
    long interval = DecodeCost.PROBE_AFTER.toNanos();
    for (int i = 0; i < 10; i++) {
      cost.abandoned(ImageFormat.PNG, 40_000_000, 500_000_000); // a probe, abandoned again
      long wait = Math.min(DecodeCost.MAX_PROBE_AFTER.toNanos(), interval << i);
      now.addAndGet(wait); // still within the interval
      assertThat(cost.expectedNanos(ImageFormat.PNG, 40_000_000)).as("probe %d", i).isPositive();
      now.addAndGet(1); // past it: the next image probes
      assertThat(cost.expectedNanos(ImageFormat.PNG, 40_000_000)).isZero();
    }
    cost.completed(ImageFormat.PNG, 1_000_000, 20_000_000); // back to the short interval
    now.addAndGet(interval + 1);
    assertThat(cost.expectedNanos(ImageFormat.PNG, 1_000_000)).isZero();
  }
}
