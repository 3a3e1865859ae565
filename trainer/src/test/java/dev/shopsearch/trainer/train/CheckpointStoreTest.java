package dev.shopsearch.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.trainer.clip.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one checkpoint/state store of both families. */
class CheckpointStoreTest {

  @TempDir Path tmp;

  private static TrainState state() {
    Recall before = new Recall(0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 12);
    Recall after = new Recall(0.4, 0.5, 0.6, 0.4, 0.5, 0.6, 12);
    return TrainState.start(before).next(new EpochStats(1, 2.5, 1e-3, 40, 3.5, after), 7, true);
  }

  @Test
  void lastHoldsParametersMomentsAndTheStateAsItsOnlyJson() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        AdamW optimizer = new AdamW(m, 0.9, 0.98, 1e-6, 0)) {
      TrainingLoopTest.ToyTask toy = new TrainingLoopTest.ToyTask(m, 0.1);
      toy.w.set(new float[] {1, 2, 3});
      CheckpointStore store = new CheckpointStore(tmp);
      TrainState s = state();
      // the optimizer must agree with the state's step: take 7 steps
      for (int i = 0; i < 7; i++) {
        toy.forwardBackward(0, m);
        optimizer.update(toy, 1e-3, 0);
      }
      float[] w = toy.w.toFloatArray();
      store.saveLast(toy, optimizer, s);

      Map<String, String> meta =
          Safetensors.readHeader(tmp.resolve(CheckpointStore.LAST)).metadata();
      List<String> keys = new ArrayList<>();
      new ObjectMapper().readTree(meta.get("state")).fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .containsExactly(
              "completedEpochs", "step", "bestScore", "bestEpoch", "before", "history");
      assertThat(store.state()).contains(s);

      TrainingLoopTest.ToyTask fresh = new TrainingLoopTest.ToyTask(m, 0.1);
      try (AdamW restored = new AdamW(m, 0.9, 0.98, 1e-6, 0)) {
        assertThat(store.loadLast(fresh, restored, m)).contains(s);
        assertThat(restored.step()).isEqualTo(7);
      }
      assertThat(fresh.w.toFloatArray()).containsExactly(w);

      // A checkpoint whose optimizer disagrees with its state is refused, naming the file.
      store.saveLast(
          toy, optimizer, TrainState.start(s.before()).next(s.history().get(0), 3, true));
      assertThatThrownBy(() -> store.loadLast(fresh, new AdamW(m, 0.9, 0.98, 1e-6, 0), m))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(tmp.resolve(CheckpointStore.LAST).toString())
          .hasMessageContaining("optimizer at step 7 but run state at step 3");
    }
  }

  @Test
  void bestCarriesItsEpochAndAFileWithoutStateIsNotACheckpoint() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingLoopTest.ToyTask toy = new TrainingLoopTest.ToyTask(m, 0.1);
      CheckpointStore store = new CheckpointStore(tmp);
      toy.w.set(new float[] {4, 5, 6});
      store.saveBest(toy, 3);
      assertThat(store.bestEpoch()).isEqualTo(3);
      assertThat(store.loadBest().get("w")).containsExactly(4, 5, 6);

      Files.copy(tmp.resolve(CheckpointStore.BEST), tmp.resolve(CheckpointStore.LAST));
      assertThatThrownBy(store::state)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("has no 'state' metadata; not a trainer checkpoint");
    }
  }

  @Test
  void inMemoryKeepsACopyOfTheBestAndNothingToResume() throws IOException {
    try (NDManager m = NDManager.newBaseManager();
        AdamW optimizer = new AdamW(m, 0.9, 0.98, 1e-6, 0)) {
      TrainingLoopTest.ToyTask toy = new TrainingLoopTest.ToyTask(m, 0.1);
      CheckpointStore store = CheckpointStore.inMemory();
      assertThat(store.persistent()).isFalse();
      assertThat(store.dir()).isEmpty();
      toy.w.set(new float[] {1, 1, 1});
      store.saveBest(toy, 2);
      toy.w.set(new float[] {9, 9, 9});
      assertThat(store.loadBest().get("w")).containsExactly(1, 1, 1);
      assertThat(store.bestEpoch()).isEqualTo(2);
      store.saveLast(toy, optimizer, state());
      assertThat(store.hasLast()).isFalse();
      assertThat(store.loadLast(toy, optimizer, m)).isEmpty();
    }
  }
}
