package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.LoopConfig;
import dev.shopsearch.trainer.train.Recall;
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

  private static LockedTrainer.Config config(int epochs, int patience) {
    return new LockedTrainer.Config(
        new LoopConfig(
            epochs,
            32,
            3e-3,
            5,
            0.1,
            0.0,
            1.0,
            7,
            patience,
            patience > 0 ? LoopConfig.Keep.BEST : LoopConfig.Keep.LAST),
        0.05,
        0.05,
        0,
        0.5);
  }

  @Test
  void stopsWhenHeldOutStopsImprovingAndRestoresTheBestEpoch() throws Exception {
    Features train = SyntheticFeatures.make(256, 48, 16, 0.3, 1);
    Features heldOut = SyntheticFeatures.make(64, 48, 16, 0.3, 2);
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads =
          new LockedHeads(new LockedHeads.Config(48, 16, 16, 32, 0.07, 3, 0.1, true), manager);
      CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"));
      LockedTrainer.Config cfg = config(200, 3);
      LockedTrainer.Result r = trainer(log).train(train, heldOut, heads, cfg, store, false);

      // The synthetic pairing is learnable: held-out recall rises far above chance (10/64).
      assertThat(r.after().t2i10()).as("%s", log).isGreaterThan(r.before().t2i10() + 0.4);
      // It saturates long before 200 epochs, so patience 3 ends the run 3 epochs after the best.
      assertThat(r.stoppedEarly()).isTrue();
      assertThat(r.epochLoss()).hasSize(r.bestEpoch() + 3);
      assertThat(r.heldOut()).hasSize(r.epochLoss().size());
      Recall best = r.heldOut().get(r.bestEpoch() - 1);
      for (Recall later : r.heldOut().subList(r.bestEpoch(), r.heldOut().size())) {
        assertThat(later.selectionScore()).isLessThanOrEqualTo(best.selectionScore());
      }
      // The best epoch's heads are the ones left in place.
      assertThat(r.after().selectionScore()).isCloseTo(best.selectionScore(), within(1e-9));

      // Checkpoints: "best" holds exactly the restored heads, "last" the final epoch.
      assertThat(tmp.resolve("ckpt").resolve(CheckpointStore.LAST)).exists();
      assertThat(store.bestEpoch()).isEqualTo(r.bestEpoch());
      assertThat(store.state().orElseThrow().completedEpochs()).isEqualTo(r.epochLoss().size());
      Map<String, float[]> saved = store.loadBest();
      Map<String, float[]> now = heads.snapshot();
      assertThat(saved.keySet()).isEqualTo(now.keySet());
      now.forEach((name, v) -> assertThat(saved.get(name)).as(name).containsExactly(v));

      // Loading "last" into fresh heads reproduces the last epoch's held-out score.
      LockedHeads fresh =
          new LockedHeads(new LockedHeads.Config(48, 16, 16, 32, 0.07, 99, 0.1, true), manager);
      try (AdamW optimizer = new AdamW(manager, 0.9, 0.98, 1e-6, 0)) {
        store.loadLast(fresh, optimizer, manager);
      }
      Recall last = r.heldOut().get(r.heldOut().size() - 1);
      assertThat(LockedTrainer.evaluate(heldOut, fresh, manager).selectionScore())
          .isCloseTo(last.selectionScore(), within(1e-9));
    }
  }

  @Test
  void withoutPatienceRunsEveryEpochAndKeepsTheLast() {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.3, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.3, 5);
    try (NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads = new LockedHeads(new LockedHeads.Config(24, 8, 8, 0, 0.07, 3), manager);
      LockedTrainer.Config cfg = config(12, 0);
      LockedTrainer.Result r =
          trainer(new ArrayList<>())
              .train(train, heldOut, heads, cfg, CheckpointStore.inMemory(), false);
      assertThat(r.epochLoss()).hasSize(12);
      assertThat(r.bestEpoch()).isEqualTo(12);
      // Nothing is selected on the held-out split: the last epoch's heads are kept.
      assertThat(r.after().selectionScore())
          .isCloseTo(r.heldOut().get(11).selectionScore(), within(1e-9));
      assertThat(r.epochLoss().get(11)).isLessThan(r.epochLoss().get(0));
    }
  }
}
