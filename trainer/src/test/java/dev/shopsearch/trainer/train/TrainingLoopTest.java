package dev.shopsearch.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.shopsearch.trainer.clip.ParameterSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop's contract on a toy task whose validation scores are scripted per epoch, so early
 * stopping, the kept epoch, stop requests and skipped steps are exact.
 */
class TrainingLoopTest {

  @TempDir Path tmp;

  private NDManager manager;

  @BeforeEach
  void manager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** One parameter vector pulled towards a target; scores come from a script. */
  static class ToyTask implements TrainingTask<Integer>, ParameterSet {
    final NDArray w;
    final NDArray target;
    final double[] scores; // [0] before training, [e] after epoch e
    final Set<String> nonFinite = new java.util.HashSet<>(); // "epoch:step"
    int epoch;

    ToyTask(NDManager m, double... scores) {
      w = m.create(new float[] {0f, 0f, 0f});
      w.setRequiresGradient(true);
      target = m.create(new float[] {1f, -2f, 3f});
      this.scores = scores;
    }

    @Override
    public int examples() {
      return 8;
    }

    @Override
    public ParameterSet parameters() {
      return this;
    }

    @Override
    public void beginEpoch(int epoch, int batchSize, Random rnd) {
      this.epoch = epoch;
    }

    @Override
    public Integer batch(int step) {
      return step;
    }

    @Override
    public int rows(Integer batch) {
      return 4;
    }

    @Override
    public float forwardBackward(Integer step, NDManager m) {
      if (nonFinite.contains(epoch + ":" + step)) {
        return Float.NaN;
      }
      try (NDScope scope = new NDScope();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        scope.suppressNotUsedWarning();
        NDArray loss = w.sub(target).square().sum();
        gc.backward(loss);
        return loss.getFloat();
      }
    }

    @Override
    public String describe(int step) {
      return "row " + step;
    }

    @Override
    public Recall evaluate(NDManager m) {
      double s = scores[Math.min(epoch, scores.length - 1)];
      return new Recall(s, s, s, s, s, s, 10);
    }

    @Override
    public Set<String> trainable() {
      return Set.of("w");
    }

    @Override
    public NDArray get(String name) {
      return w;
    }

    @Override
    public Map<String, NDArray> all() {
      return Map.of("w", w);
    }

    @Override
    public void load(Map<String, float[]> values) {
      w.set(values.get("w"));
    }
  }

  /** Records every callback, and what the parameters were after each epoch. */
  static final class Recorder implements TrainingListener {
    final List<String> events = new ArrayList<>();
    final Map<Integer, float[]> weights = new LinkedHashMap<>();
    final ToyTask task;

    Recorder(ToyTask task) {
      this.task = task;
    }

    @Override
    public void onTrainingBegin(TrainingRun run) {
      events.add("begin " + run.state().completedEpochs());
    }

    @Override
    public void onTrainingBatch(TrainingRun run, StepStats step) {
      events.add("batch " + step.epoch() + "." + step.step() + " @" + step.globalStep());
    }

    @Override
    public void onEpoch(TrainingRun run, EpochStats epoch, boolean improved) {
      events.add("epoch " + epoch.epoch() + (improved ? " best" : ""));
      weights.put(epoch.epoch(), task.w.toFloatArray());
    }

    @Override
    public void onTrainingEnd(TrainingRun run, TrainingLoop.Outcome outcome) {
      events.add("end");
    }
  }

  private static LoopConfig config(int epochs, int patience, LoopConfig.Keep keep) {
    return new LoopConfig(epochs, 4, 0.05, 0, 0.1, 0, 0, 1, patience, keep);
  }

  @Test
  void earlyStoppingEndsTheRunPatienceEpochsAfterTheBestAndKeepsTheBest() throws IOException {
    ToyTask task = new ToyTask(manager, 0.1, 0.3, 0.5, 0.4, 0.45, 0.9, 0.9);
    Recorder rec = new Recorder(task);
    List<String> log = new ArrayList<>();
    TrainingLoop.Outcome o =
        new TrainingLoop(config(6, 2, LoopConfig.Keep.BEST), log::add)
            .listen(rec)
            .run(task, new CheckpointStore(tmp), false);

    assertThat(o.stoppedEarly()).isTrue();
    assertThat(o.interrupted()).isFalse();
    assertThat(o.state().completedEpochs()).isEqualTo(4);
    assertThat(o.state().bestEpoch()).isEqualTo(2);
    assertThat(o.keptEpoch()).isEqualTo(2);
    assertThat(o.state().step()).isEqualTo(8); // 2 steps per epoch
    assertThat(task.w.toFloatArray()).containsExactly(rec.weights.get(2));
    assertThat(rec.events)
        .containsExactly(
            "begin 0",
            "batch 1.1 @1",
            "batch 1.2 @2",
            "epoch 1 best",
            "batch 2.1 @3",
            "batch 2.2 @4",
            "epoch 2 best",
            "batch 3.1 @5",
            "batch 3.2 @6",
            "epoch 3",
            "batch 4.1 @7",
            "batch 4.2 @8",
            "epoch 4",
            "end");
    assertThat(log).anyMatch(l -> l.startsWith("early stop after epoch 4"));
    assertThat(new CheckpointStore(tmp).bestEpoch()).isEqualTo(2);
    assertThat(new CheckpointStore(tmp).state().orElseThrow().completedEpochs()).isEqualTo(4);

    // A resumed run that had already stopped early trains no further epoch.
    ToyTask again = new ToyTask(manager, 0.1, 0.3, 0.5, 0.4, 0.45, 0.9, 0.9);
    Recorder rec2 = new Recorder(again);
    TrainingLoop.Outcome resumed =
        new TrainingLoop(config(6, 2, LoopConfig.Keep.BEST), l -> {})
            .listen(rec2)
            .run(again, new CheckpointStore(tmp), true);
    assertThat(rec2.events).containsExactly("begin 4", "end");
    assertThat(resumed.stoppedEarly()).isTrue();
    assertThat(again.w.toFloatArray()).containsExactly(rec.weights.get(2));
  }

  @Test
  void keepLastLeavesTheLastEpochAndAnInitialBestCountsAsEpochZero() throws IOException {
    ToyTask last = new ToyTask(manager, 0.9, 0.1, 0.2, 0.3);
    Recorder rec = new Recorder(last);
    TrainingLoop.Outcome o =
        new TrainingLoop(config(3, 0, LoopConfig.Keep.LAST), l -> {})
            .listen(rec)
            .run(last, CheckpointStore.inMemory(), false);
    assertThat(o.keptEpoch()).isEqualTo(3);
    assertThat(o.state().bestEpoch()).isZero(); // no epoch beat the initial parameters
    assertThat(last.w.toFloatArray()).containsExactly(rec.weights.get(3));

    ToyTask best = new ToyTask(manager, 0.9, 0.1, 0.2, 0.3);
    TrainingLoop.Outcome b =
        new TrainingLoop(config(3, 0, LoopConfig.Keep.BEST), l -> {})
            .run(best, CheckpointStore.inMemory(), false);
    assertThat(b.keptEpoch()).isZero();
    assertThat(best.w.toFloatArray()).containsExactly(0f, 0f, 0f);
  }

  @Test
  void aStopRequestEndsTheRunExceptAfterTheLastEpoch() throws IOException {
    ToyTask task = new ToyTask(manager, 0.1, 0.2, 0.3, 0.4);
    TrainingLoop.Outcome afterLast =
        new TrainingLoop(config(3, 0, LoopConfig.Keep.LAST), l -> {})
            .listen(
                new TrainingListener() {
                  @Override
                  public void onEpoch(TrainingRun run, EpochStats epoch, boolean improved) {
                    if (epoch.epoch() == 3) {
                      run.requestStop();
                    }
                  }
                })
            .run(task, CheckpointStore.inMemory(), false);
    assertThat(afterLast.interrupted()).isFalse();
    assertThat(afterLast.after()).isNotNull();

    StopSignal signal = new StopSignal();
    signal.request(); // e.g. Ctrl-C before the first step
    List<String> log = new ArrayList<>();
    TrainingLoop.Outcome before =
        new TrainingLoop(config(3, 0, LoopConfig.Keep.LAST), log::add)
            .listen(signal)
            .run(new ToyTask(manager, 0.1), new CheckpointStore(tmp.resolve("s")), false);
    assertThat(before.interrupted()).isTrue();
    assertThat(before.state().completedEpochs()).isZero();
    assertThat(before.after()).isNull();
    assertThat(new CheckpointStore(tmp.resolve("s")).hasLast()).isFalse();
    assertThat(log).anyMatch(l -> l.startsWith("stopped; --resume continues after epoch 0"));
  }

  @Test
  void nonFiniteStepsAreSkippedWithoutAdvancingTheScheduleAndTooManyAbort() throws IOException {
    ToyTask task = new ToyTask(manager, 0.1, 0.2, 0.3);
    task.nonFinite.add("1:1");
    List<String> log = new ArrayList<>();
    TrainingLoop.Outcome o =
        new TrainingLoop(config(2, 0, LoopConfig.Keep.LAST), log::add)
            .run(task, CheckpointStore.inMemory(), false);
    assertThat(o.state().step()).isEqualTo(3); // 4 steps, one skipped
    assertThat(log)
        .anyMatch(l -> l.startsWith("skipping step 2 of epoch 1: loss NaN") && l.contains("row 1"));

    TrainingLoop loop =
        new TrainingLoop(
            new LoopConfig(2, 2, 0.05, 0, 0.1, 0, 0, 1, 0, LoopConfig.Keep.LAST), l -> {});
    ToyTask wide =
        new ToyTask(manager, 0.1) {
          @Override
          public int examples() {
            return 64; // 32 steps of 2
          }
        };
    for (int s = 0; s < 32; s++) {
      wide.nonFinite.add("1:" + s);
    }
    assertThatThrownBy(() -> loop.run(wide, CheckpointStore.inMemory(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("training diverged")
        .hasMessageContaining("more than 20 steps")
        .hasMessageContaining("--lr");
  }

  @Test
  void badInputFailsFastNamingTheValue() {
    ToyTask one =
        new ToyTask(manager, 0.1) {
          @Override
          public int examples() {
            return 1;
          }
        };
    assertThatThrownBy(
            () ->
                new TrainingLoop(config(2, 0, LoopConfig.Keep.LAST), l -> {})
                    .run(one, CheckpointStore.inMemory(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("need at least 2 training examples, got 1");
    assertThatThrownBy(
            () ->
                new TrainingLoop(config(2, 0, LoopConfig.Keep.LAST), l -> {})
                    .run(new ToyTask(manager, 0.1), CheckpointStore.inMemory(), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resume needs a checkpoint directory");
    assertThatThrownBy(() -> config(0, 0, LoopConfig.Keep.LAST))
        .hasMessage("epochs must be in [1, 10000]; epochs=0");
    assertThatThrownBy(() -> new LoopConfig(1, 4, 0.05, 0, 0.1, 1.5, 0, 1, 0, LoopConfig.Keep.LAST))
        .hasMessage("weightDecay must be in [0, 1); weightDecay=1.5");
  }
}
