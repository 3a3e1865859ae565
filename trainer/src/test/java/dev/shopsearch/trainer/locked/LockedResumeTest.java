package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.EpochStats;
import dev.shopsearch.trainer.train.LoopConfig;
import dev.shopsearch.trainer.train.TrainingListener;
import dev.shopsearch.trainer.train.TrainingRun;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resume} for the locked family: an interrupted run continues exactly. */
class LockedResumeTest {

  @TempDir Path tmp;

  private static final LockedHeads.Config HEADS =
      new LockedHeads.Config(24, 8, 8, 32, 0.07, 3, 0.1, true);

  private static LockedTrainer trainer(List<String> log) {
    return new LockedTrainer(null, new FeatureCache(Path.of("unused")), log::add);
  }

  /**
   * How far a resumed run may end from the uninterrupted one. In about one loaded suite run in
   * seven, the uninterrupted run — always the first training of its test method — drifted from the
   * value every other run gives (the resumed runs included): 4.3e-4 at epoch 8 once, 1.6e-3 at
   * epoch 3 once. The cause is not found (not garbage collection, not JIT math, not MKL's
   * alignment: each checked); Adam turns any last-bit difference in a near-zero gradient into a
   * full learning-rate step, so such drift grows. Each test therefore trains once and discards it
   * before its reference run, and the tolerance is 1e-2. A broken resume lands far outside it: a
   * different random stream for the remaining epochs moves the epoch-8 loss by 0.12, a
   * learning-rate schedule one warm-up step off by 0.055 ({@link
   * #aResumeThatDoesNotRestoreTheRunIsCaught}).
   */
  private static final double TOLERANCE = 1e-2;

  /** Parameters drift more than the loss under the same last-bit differences. */
  private static final float WEIGHT_TOLERANCE = 5e-2f;

  /** One training run, thrown away, so that the reference run is not a method's first. */
  private static void warmUp(Features train, Features heldOut, NDManager manager) {
    trainer(new ArrayList<>())
        .train(
            train,
            heldOut,
            new LockedHeads(HEADS, manager),
            config(),
            CheckpointStore.inMemory(),
            false);
  }

  private static LockedTrainer.Config config() {
    return config(7);
  }

  private static LockedTrainer.Config config(long seed) {
    // Feature noise, feature dropout and head dropout all draw random numbers.
    return new LockedTrainer.Config(
        new LoopConfig(8, 32, 3e-3, 5, 0.1, 0.01, 1.0, seed, 0, LoopConfig.Keep.LAST),
        0.05,
        0.1,
        0,
        0.5);
  }

  /** Stops the run through the API once epoch {@code epoch} is checkpointed. */
  static TrainingListener stopAfterEpoch(int epoch) {
    return new TrainingListener() {
      @Override
      public void onEpoch(TrainingRun run, EpochStats stats, boolean improved) {
        if (stats.epoch() == epoch) {
          run.requestStop();
        }
      }
    };
  }

  @Test
  void anInterruptedRunResumedEndsWhereAnUninterruptedOneDoes() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      warmUp(train, heldOut, manager);
      LockedHeads straight = new LockedHeads(HEADS, manager);
      LockedTrainer.Result a =
          trainer(log)
              .train(
                  train, heldOut, straight, config(), new CheckpointStore(tmp.resolve("a")), false);
      assertThat(a.interrupted()).isFalse();
      assertThat(a.epochLoss()).hasSize(8);

      CheckpointStore dir = new CheckpointStore(tmp.resolve("b"));
      LockedHeads first = new LockedHeads(HEADS, manager);
      LockedTrainer.Result stopped =
          trainer(log).listen(stopAfterEpoch(3)).train(train, heldOut, first, config(), dir, false);
      assertThat(stopped.interrupted()).isTrue();
      assertThat(stopped.epochLoss()).hasSize(3);
      assertThat(stopped.after()).isNull();

      LockedHeads second = new LockedHeads(HEADS, manager); // fresh process: initial weights
      LockedTrainer.Result resumed =
          trainer(log).train(train, heldOut, second, config(), dir, true);

      assertThat(log).anySatisfy(l -> assertThat(l).contains("resumed from").contains("epoch 3"));
      assertThat(resumed.interrupted()).isFalse();
      assertThat(resumed.epochLoss()).hasSize(8);
      for (int e = 0; e < 8; e++) {
        assertThat(resumed.epochLoss().get(e))
            .as("epoch %d", e + 1)
            .isCloseTo(a.epochLoss().get(e), within(TOLERANCE));
      }
      assertThat(resumed.before()).isEqualTo(a.before());
      assertThat(resumed.after().selectionScore())
          .isCloseTo(a.after().selectionScore(), within(TOLERANCE));
      Map<String, float[]> x = straight.snapshot();
      Map<String, float[]> y = second.snapshot();
      x.forEach(
          (name, v) -> {
            for (int i = 0; i < v.length; i++) {
              assertThat(y.get(name)[i])
                  .as("%s[%d]", name, i)
                  .isCloseTo(v[i], within(WEIGHT_TOLERANCE));
            }
          });
    }
  }

  @Test
  void aStopDuringAnEpochDiscardsItAndResumesExactly() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      warmUp(train, heldOut, manager);
      LockedHeads straight = new LockedHeads(HEADS, manager);
      LockedTrainer.Result a =
          trainer(new ArrayList<>())
              .train(train, heldOut, straight, config(), CheckpointStore.inMemory(), false);

      CheckpointStore dir = new CheckpointStore(tmp.resolve("mid"));
      LockedTrainer.Result stopped =
          trainer(new ArrayList<>())
              .listen(
                  new TrainingListener() {
                    @Override
                    public void onTrainingBatch(
                        TrainingRun run, dev.shopsearch.trainer.train.StepStats step) {
                      if (step.epoch() == 5 && step.step() == 2) {
                        run.requestStop();
                      }
                    }
                  })
              .train(train, heldOut, new LockedHeads(HEADS, manager), config(), dir, false);
      assertThat(stopped.interrupted()).isTrue();
      assertThat(stopped.epochLoss()).as("epoch 5 is discarded").hasSize(4);

      LockedHeads second = new LockedHeads(HEADS, manager);
      LockedTrainer.Result resumed =
          trainer(new ArrayList<>()).train(train, heldOut, second, config(), dir, true);
      assertThat(resumed.epochLoss()).hasSize(8);
      assertThat(resumed.epochLoss().get(7)).isCloseTo(a.epochLoss().get(7), within(TOLERANCE));
      assertThat(resumed.after().selectionScore())
          .isCloseTo(a.after().selectionScore(), within(TOLERANCE));
    }
  }

  /** The tolerance above is tight enough to see a resume that continues with another stream. */
  @Test
  void aResumeThatDoesNotRestoreTheRunIsCaught() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedTrainer.Result a =
          trainer(new ArrayList<>())
              .train(
                  train,
                  heldOut,
                  new LockedHeads(HEADS, manager),
                  config(),
                  CheckpointStore.inMemory(),
                  false);
      CheckpointStore dir = new CheckpointStore(tmp.resolve("other-stream"));
      trainer(new ArrayList<>())
          .listen(stopAfterEpoch(4))
          .train(train, heldOut, new LockedHeads(HEADS, manager), config(), dir, false);
      LockedTrainer.Result wrong =
          trainer(new ArrayList<>())
              .train(train, heldOut, new LockedHeads(HEADS, manager), config(8), dir, true);
      assertThat(Math.abs(wrong.epochLoss().get(7) - a.epochLoss().get(7)))
          .isGreaterThan(5 * TOLERANCE);
    }
  }

  @Test
  void resumeNeedsACheckpointDirectoryAndRefusesAnotherModelsCheckpoint() {
    Features train = SyntheticFeatures.make(64, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(16, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(
              () ->
                  trainer(new ArrayList<>())
                      .train(
                          train,
                          heldOut,
                          new LockedHeads(HEADS, manager),
                          config(),
                          CheckpointStore.inMemory(),
                          true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("resume needs a checkpoint directory");

      CheckpointStore dir = new CheckpointStore(tmp.resolve("c"));
      trainer(new ArrayList<>())
          .listen(stopAfterEpoch(2))
          .train(train, heldOut, new LockedHeads(HEADS, manager), config(), dir, false);
      LockedHeads.Config wider = new LockedHeads.Config(24, 8, 16, 32, 0.07, 3, 0.1, true);
      assertThatThrownBy(
              () ->
                  trainer(new ArrayList<>())
                      .train(train, heldOut, new LockedHeads(wider, manager), config(), dir, true))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining(CheckpointStore.LAST)
          .hasMessageContaining("does not match the model");
    }
  }
}
