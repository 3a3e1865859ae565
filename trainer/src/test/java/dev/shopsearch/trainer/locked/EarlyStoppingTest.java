package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Early stopping, best-epoch restore and per-epoch checkpoints on seeded synthetic features. */
class EarlyStoppingTest {

  @TempDir Path tmp;

  private static LockedTrainer trainer(List<String> log) {
    return new LockedTrainer(null, new FeatureCache(Path.of("unused")), log::add);
  }

  private static LockedTrainer.Config config(int epochs, int patience, Path checkpoints) {
    return new LockedTrainer.Config(
        epochs, 32, 3e-3, 5, 0.0, 1.0, 7, 0.05, 0.05, patience, checkpoints, 0, 0.5);
  }

  @Test
  void stopsWhenHeldOutStopsImprovingAndRestoresTheBestEpoch() throws Exception {
    Features train = SyntheticFeatures.make(256, 48, 16, 0.3, 1);
    Features heldOut = SyntheticFeatures.make(64, 48, 16, 0.3, 2);
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads =
          new LockedHeads(new LockedHeads.Config(48, 16, 16, 32, 0.07, 3, 0.1, true), manager);
      Path dir = tmp.resolve("ckpt");
      LockedTrainer.Config cfg = config(200, 3, dir);
      LockedTrainer.Result r = trainer(log).train(train, heldOut, heads, cfg);

      // The synthetic pairing is learnable: held-out recall rises far above chance (10/64).
      assertThat(r.after().t2i10()).as("%s", log).isGreaterThan(r.before().t2i10() + 0.4);
      // It saturates long before 200 epochs, so patience 3 ends the run 3 epochs after the best.
      assertThat(r.stoppedEarly(cfg)).isTrue();
      assertThat(r.epochLoss()).hasSize(r.bestEpoch() + 3);
      assertThat(r.heldOut()).hasSize(r.epochLoss().size());
      Recall best = r.heldOut().get(r.bestEpoch() - 1);
      for (Recall later : r.heldOut().subList(r.bestEpoch(), r.heldOut().size())) {
        assertThat(later.selectionScore()).isLessThanOrEqualTo(best.selectionScore());
      }
      // The best epoch's heads are the ones left in place.
      assertThat(r.after().selectionScore()).isCloseTo(best.selectionScore(), within(1e-9));

      // Checkpoints: "best" holds exactly the restored heads, "last" the final epoch.
      assertThat(dir.resolve("last.safetensors")).exists();
      assertThat(Files.readString(dir.resolve("best.json")))
          .contains("\"epoch\" : " + r.bestEpoch());
      assertThat(Files.readString(dir.resolve("last.json")))
          .contains("\"epoch\" : " + r.epochLoss().size());
      Map<String, float[]> saved =
          HeadCheckpoints.load(new HeadCheckpoints(dir).weights("best"), manager);
      Map<String, float[]> now = heads.snapshot();
      assertThat(saved.keySet()).isEqualTo(now.keySet());
      now.forEach((name, v) -> assertThat(saved.get(name)).as(name).containsExactly(v));

      // Loading "last" into fresh heads reproduces the last epoch's held-out score.
      LockedHeads fresh =
          new LockedHeads(new LockedHeads.Config(48, 16, 16, 32, 0.07, 99, 0.1, true), manager);
      fresh.restore(HeadCheckpoints.load(new HeadCheckpoints(dir).weights("last"), manager));
      Recall last = r.heldOut().get(r.heldOut().size() - 1);
      assertThat(trainer(log).evaluate(heldOut, fresh, manager).selectionScore())
          .isCloseTo(last.selectionScore(), within(1e-9));
    }
  }

  @Test
  void withoutPatienceRunsEveryEpochAndKeepsTheLast() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads = new LockedHeads(new LockedHeads.Config(24, 8, 8, 0, 0.07, 3), manager);
      LockedTrainer.Config cfg = config(12, 0, null);
      LockedTrainer.Result r = trainer(new ArrayList<>()).train(train, heldOut, heads, cfg);
      assertThat(r.epochLoss()).hasSize(12);
      assertThat(r.bestEpoch()).isEqualTo(12);
      // Nothing is selected on the held-out split: the last epoch's heads are kept.
      assertThat(r.after().selectionScore())
          .isCloseTo(r.heldOut().get(11).selectionScore(), within(1e-9));
      assertThat(r.epochLoss().get(11)).isLessThan(r.epochLoss().get(0));
    }
  }
}
