package dev.shopsearch.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines from the step timings the loop reports (no clock is read here). */
class ProgressLogTest {

  private static final long MS = 1_000_000L;

  private static final TrainingRun RUN =
      new TrainingRun() {
        @Override
        public LoopConfig config() {
          return new LoopConfig(10, 4, 1e-3, 0, 0.1, 0, 0, 1, 0, LoopConfig.Keep.LAST);
        }

        @Override
        public TrainState state() {
          return TrainState.start(new Recall(0, 0, 0, 0, 0, 0, 0));
        }

        @Override
        public int stepsPerEpoch() {
          return 10;
        }

        @Override
        public String modelStatus() {
          return "temperature 0.0700";
        }

        @Override
        public void requestStop() {}

        @Override
        public void finish(String reason) {}
      };

  private static void epoch(ProgressLog p, int epoch, long stepNanos, long dataNanos) {
    for (int s = 1; s <= 10; s++) {
      p.onTrainingBatch(
          RUN, new StepStats(epoch, 10, s, 10, s, 1.5f, 1e-3, 4, dataNanos, stepNanos));
    }
  }

  @Test
  void slowStepsPrintAboutOnceAnIntervalAndTheEpochsLastStep() {
    List<String> lines = new ArrayList<>();
    ProgressLog p = new ProgressLog(lines::add, 1000 * MS);
    epoch(p, 2, 400 * MS, 100 * MS); // 0.4 s per step, a quarter of it collating
    assertThat(lines).hasSize(4); // at 1.2 s, 2.4 s, 3.6 s and the last step (4.0 s)
    assertThat(lines.get(0))
        .isEqualTo(
            "epoch 2/10 [######..............] 3/10 loss 1.5000 lr 1.00e-03 10.0 samples/s"
                + " ETA 00:03 (data 25%)");
    assertThat(lines.get(3))
        .startsWith("epoch 2/10 [####################] 10/10")
        .contains("ETA 00:00");
  }

  @Test
  void fastEpochsPrintOnlyTheirEpochLine() {
    List<String> lines = new ArrayList<>();
    ProgressLog p = new ProgressLog(lines::add, 1000 * MS);
    epoch(p, 1, 5 * MS, 0);
    epoch(p, 2, 5 * MS, 0);
    assertThat(lines).isEmpty();
    p.onEpoch(
        RUN,
        new EpochStats(2, 1.25, 2e-4, 800, 0.05, new Recall(0.5, 0.6, 0.7, 0.4, 0.5, 0.6, 20)),
        true);
    assertThat(lines)
        .singleElement()
        .asString()
        .startsWith("epoch 2/10: loss 1.2500, lr 2.00e-04, validation ")
        .endsWith(", 0.1 s, temperature 0.0700 (best)");
  }
}
