package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.clip.SigmoidLoss;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.LoopConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --loss sigmoid} on the locked family: it learns, and its scale and bias resume. */
class LockedSigmoidTest {

  @TempDir Path tmp;

  private static final LockedHeads.Config HEADS = new LockedHeads.Config(24, 8, 8, 0, 0.07, 3);

  private static LockedTrainer.Config config(int epochs) {
    return new LockedTrainer.Config(
        new LoopConfig(epochs, 32, 1e-2, 2, 0.1, 0.0, 1.0, 7, 0, LoopConfig.Keep.LAST),
        0,
        0,
        0,
        0.5,
        Objective.Kind.SIGMOID);
  }

  private static LockedTrainer trainer(List<String> log) {
    return new LockedTrainer(null, new FeatureCache(Path.of("unused")), log::add);
  }

  @Test
  void lossFallsOnAnEasyTaskAndTheLearnedScaleAndBiasAreCheckpointed() throws IOException {
    Features train = SyntheticFeatures.make(128, 24, 8, 0.1, 4);
    Features heldOut = SyntheticFeatures.make(48, 24, 8, 0.1, 5);
    List<String> log = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        LockedHeads heads = new LockedHeads(HEADS, manager)) {
      LockedTrainer.Result r =
          trainer(log)
              .train(
                  train, heldOut, heads, config(12), new CheckpointStore(tmp.resolve("a")), false);
      List<Double> loss = r.epochLoss();
      assertThat(loss).hasSize(12);
      assertThat(loss.get(11)).isLessThan(loss.get(0) * 0.7);
      assertThat(r.after().selectionScore()).isGreaterThan(r.before().selectionScore());
      assertThat(log).anyMatch(l -> l.contains("sigmoid scale") && l.contains("bias"));

      Map<String, FloatTensor> last =
          Safetensors.readFloats(tmp.resolve("a").resolve(CheckpointStore.LAST));
      float logScale = last.get("model." + Objective.LOG_SCALE).data()[0];
      float bias = last.get("model." + Objective.BIAS).data()[0];
      assertThat(logScale).isNotCloseTo(SigmoidLoss.INITIAL_LOG_SCALE, within(1e-4f));
      assertThat(bias).isNotCloseTo(SigmoidLoss.INITIAL_BIAS, within(1e-4f));
      assertThat(last).containsKey("optim.m." + Objective.BIAS);
    }
  }

  @Test
  void aResumedSigmoidRunRestoresScaleAndBias() {
    Features train = SyntheticFeatures.make(96, 24, 8, 0.2, 6);
    Features heldOut = SyntheticFeatures.make(32, 24, 8, 0.2, 7);
    try (NDManager manager = NDManager.newBaseManager();
        LockedHeads straight = new LockedHeads(HEADS, manager);
        LockedHeads first = new LockedHeads(HEADS, manager);
        LockedHeads second = new LockedHeads(HEADS, manager)) {
      LockedTrainer.Result a =
          trainer(new ArrayList<>())
              .train(train, heldOut, straight, config(4), CheckpointStore.inMemory(), false);
      CheckpointStore dir = new CheckpointStore(tmp.resolve("b"));
      trainer(new ArrayList<>())
          .listen(LockedResumeTest.stopAfterEpoch(2))
          .train(train, heldOut, first, config(4), dir, false);
      LockedTrainer.Result resumed =
          trainer(new ArrayList<>()).train(train, heldOut, second, config(4), dir, true);
      for (int e = 0; e < 4; e++) {
        assertThat(resumed.epochLoss().get(e))
            .as("epoch %d", e + 1)
            .isCloseTo(a.epochLoss().get(e), within(1e-5));
      }
    }
  }
}
