package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

  private static LockedTrainer.Config config(Path checkpoints) {
    // Feature noise, feature dropout and head dropout all draw random numbers.
    return new LockedTrainer.Config(
        8, 32, 3e-3, 5, 0.01, 1.0, 7, 0.05, 0.1, 0, checkpoints, 0, 0.5);
  }

  @Test
  void anInterruptedRunResumedEndsWhereAnUninterruptedOneDoes() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedHeads straight = new LockedHeads(HEADS, manager);
      LockedTrainer.Result a =
          trainer(log).train(train, heldOut, straight, config(tmp.resolve("a")));
      assertThat(a.interrupted()).isFalse();
      assertThat(a.epochLoss()).hasSize(8);

      Path dir = tmp.resolve("b");
      AtomicInteger epochsSeen = new AtomicInteger();
      LockedHeads first = new LockedHeads(HEADS, manager);
      LockedTrainer.Result stopped =
          trainer(log)
              .stopWhen(() -> epochsSeen.incrementAndGet() == 3)
              .train(train, heldOut, first, config(dir));
      assertThat(stopped.interrupted()).isTrue();
      assertThat(stopped.epochLoss()).hasSize(3);

      LockedHeads second = new LockedHeads(HEADS, manager); // fresh process: initial weights
      LockedTrainer.Result resumed = trainer(log).train(train, heldOut, second, config(dir), true);

      assertThat(log).anySatisfy(l -> assertThat(l).contains("resumed from").contains("epoch 3"));
      assertThat(resumed.interrupted()).isFalse();
      assertThat(resumed.epochLoss()).hasSize(8);
      for (int e = 0; e < 8; e++) {
        assertThat(resumed.epochLoss().get(e))
            .as("epoch %d", e + 1)
            .isCloseTo(a.epochLoss().get(e), within(1e-5));
      }
      assertThat(resumed.before()).isEqualTo(a.before());
      assertThat(resumed.after().selectionScore())
          .isCloseTo(a.after().selectionScore(), within(1e-9));
      Map<String, float[]> x = straight.snapshot();
      Map<String, float[]> y = second.snapshot();
      x.forEach(
          (name, v) -> {
            for (int i = 0; i < v.length; i++) {
              assertThat(y.get(name)[i]).as("%s[%d]", name, i).isCloseTo(v[i], within(1e-5f));
            }
          });
    }
  }

  @Test
  void resumeNeedsACheckpointDirectoryAndRefusesMismatchedParts() throws Exception {
    Features train = SyntheticFeatures.make(64, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(16, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThatThrownBy(
              () ->
                  trainer(new ArrayList<>())
                      .train(train, heldOut, new LockedHeads(HEADS, manager), config(null), true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("resume needs a checkpoint directory");

      Path dir = tmp.resolve("c");
      AtomicInteger n = new AtomicInteger();
      trainer(new ArrayList<>())
          .stopWhen(() -> n.incrementAndGet() == 2)
          .train(train, heldOut, new LockedHeads(HEADS, manager), config(dir));
      Path json = dir.resolve("last.json");
      Files.writeString(
          json, Files.readString(json).replaceFirst("\"step\" : (\\d+)", "\"step\" : 99999"));
      assertThatThrownBy(
              () ->
                  trainer(new ArrayList<>())
                      .train(train, heldOut, new LockedHeads(HEADS, manager), config(dir), true))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("at step 99999")
          .hasMessageContaining("start afresh");
    }
  }
}
