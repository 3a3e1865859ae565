package dev.shopsearch.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.clip.AdamW;
import dev.shopsearch.trainer.clip.LrSchedule;
import dev.shopsearch.trainer.clip.ParameterSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The one epoch loop of both model families (the CLIP family's {@link ClipTrainer} and the locked
 * family's {@code LockedTrainer}), over a {@link TrainingTask}:
 *
 * <ul>
 *   <li><b>resume</b>: with {@code resume} the run continues from the store's {@code last}
 *       checkpoint (parameters, AdamW moments, schedule position, history); each epoch draws its
 *       order, augmentation and dropout from seeds derived from {@code (seed, epoch)}, so the
 *       resumed run ends exactly where an uninterrupted one would have;
 *   <li><b>optimisation</b>: AdamW (β 0.9/0.98, ε 1e-6, decoupled decay) with linear warmup (capped
 *       at half the run) and cosine decay ({@link LrSchedule}), global-norm clipping; a step whose
 *       loss or gradient is not finite is skipped and logged, more than 20 in an epoch abort the
 *       run;
 *   <li><b>validation and checkpoints</b>: validation recall before training and after every epoch;
 *       {@code best} when the score improves ({@link Recall#selectionScore()}; every epoch improves
 *       when there are fewer than 2 validation pairs), {@code last} after every epoch;
 *   <li><b>listeners</b> ({@link TrainingListener}): a {@link ProgressLog} and {@link
 *       EarlyStopping} with the configured patience are always registered, then the caller's, e.g.
 *       a {@link StopSignal};
 *   <li><b>end</b>: the parameters of {@link LoopConfig.Keep} are left in place and evaluated; an
 *       interrupted run ({@link TrainingRun#requestStop()}) returns at once and leaves the last
 *       checkpoint as it was.
 * </ul>
 *
 * Not thread-safe: one run at a time; other threads stop it through a {@link StopSignal}.
 */
public final class TrainingLoop {

  /** Non-finite steps in one epoch after which the run is aborted. */
  static final int MAX_SKIPPED_STEPS = 20;

  /**
   * The outcome of {@link #run}.
   *
   * @param state progress, as in the {@code last} checkpoint
   * @param after validation recall of the kept parameters ({@code null} when interrupted)
   * @param keptEpoch the epoch whose parameters were left in place (0: the initial ones)
   * @param stoppedEarly early stopping ended the run before its last epoch
   * @param interrupted a stop request ended the run; {@code --resume} continues it
   */
  public record Outcome(
      TrainState state, Recall after, int keptEpoch, boolean stoppedEarly, boolean interrupted) {}

  private final LoopConfig cfg;
  private final Consumer<String> log;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private LongSupplier clock = System::nanoTime;

  /** A loop with a {@link ProgressLog} and {@link EarlyStopping} for {@code cfg}'s patience. */
  public TrainingLoop(LoopConfig cfg, Consumer<String> log) {
    this.cfg = cfg;
    this.log = log;
    listeners.add(new ProgressLog(log));
    listeners.add(new EarlyStopping(cfg.patience()));
  }

  /** Adds a listener (called after the ones already registered). */
  public TrainingLoop listen(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** The nanosecond clock for step and epoch timings (default {@link System#nanoTime()}). */
  public TrainingLoop clock(LongSupplier nanoTime) {
    this.clock = nanoTime;
    return this;
  }

  /** The settings. */
  public LoopConfig config() {
    return cfg;
  }

  /**
   * Trains {@code task}'s parameters in place.
   *
   * @param store where checkpoints go ({@link CheckpointStore#inMemory()} for none)
   * @param resume continue from the store's {@code last} checkpoint when there is one
   * @throws IllegalArgumentException with fewer than 2 training examples, or {@code resume} with an
   *     in-memory store
   * @throws IOException if a checkpoint cannot be read or written, naming the file
   * @throws IllegalStateException if the run diverges (more than 20 non-finite steps in an epoch)
   */
  public <B> Outcome run(TrainingTask<B> task, CheckpointStore store, boolean resume)
      throws IOException {
    int examples = task.examples();
    if (examples < 2) {
      throw new IllegalArgumentException("need at least 2 training examples, got " + examples);
    }
    if (resume && !store.persistent()) {
      throw new IllegalArgumentException("resume needs a checkpoint directory (--checkpoints)");
    }
    int batch = Math.min(cfg.batchSize(), examples);
    int steps = examples / batch;
    long total = (long) steps * cfg.epochs();
    LrSchedule schedule =
        new LrSchedule(
            cfg.learningRate(), Math.min(cfg.warmupSteps(), total / 2), total, cfg.minLrFraction());
    ParameterSet params = task.parameters();
    NDManager manager = NDManager.newBaseManager();
    try (manager;
        AdamW optimizer = new AdamW(manager, 0.9, 0.98, 1e-6, cfg.weightDecay())) {
      Run run = new Run(task, steps, start(task, store, resume, params, optimizer, manager));
      listeners.forEach(l -> l.onTrainingBegin(run));
      for (int epoch = run.state.completedEpochs() + 1;
          epoch <= cfg.epochs() && !run.finished && !run.stop;
          epoch++) {
        Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
        Engine.getInstance().setRandomSeed((int) (cfg.seed() * 31 + epoch));
        task.beginEpoch(epoch, batch, rnd);
        EpochStats stats = epoch(task, run, epoch, schedule, optimizer, manager);
        if (stats == null) {
          break; // interrupted: the epoch is discarded, the last checkpoint stays
        }
        boolean improved =
            stats.validation().n() < 2
                || stats.validation().selectionScore() > run.state.bestScore();
        run.state = run.state.next(stats, run.step, improved);
        if (improved) {
          store.saveBest(params, stats.epoch());
        }
        store.saveLast(params, optimizer, run.state);
        listeners.forEach(l -> l.onEpoch(run, stats, improved));
      }
      Outcome outcome = finish(task, store, run, params, manager);
      listeners.forEach(l -> l.onTrainingEnd(run, outcome));
      return outcome;
    }
  }

  /** The resumed state, or the fresh one (initial parameters evaluated and saved as the best). */
  private TrainState start(
      TrainingTask<?> task,
      CheckpointStore store,
      boolean resume,
      ParameterSet params,
      AdamW optimizer,
      NDManager manager)
      throws IOException {
    if (resume) {
      TrainState state = store.loadLast(params, optimizer, manager).orElse(null);
      String dir = store.dir().map(Object::toString).orElse("memory");
      if (state != null) {
        log.accept(
            String.format(
                Locale.ROOT,
                "resumed from %s after epoch %d (step %d, best epoch %d)",
                dir,
                state.completedEpochs(),
                state.step(),
                state.bestEpoch()));
        return state;
      }
      log.accept("no checkpoint to resume in " + dir + "; starting afresh");
    }
    Recall before = task.evaluate(manager);
    log.accept("validation before training: " + before);
    store.saveBest(params, 0);
    return TrainState.start(before);
  }

  /** Trains one epoch and evaluates it; {@code null} when a stop request interrupted it. */
  private <B> EpochStats epoch(
      TrainingTask<B> task,
      Run run,
      int epoch,
      LrSchedule schedule,
      AdamW optimizer,
      NDManager manager) {
    ParameterSet params = task.parameters();
    long t0 = clock.getAsLong();
    double lossSum = 0;
    int lossN = 0;
    long samples = 0;
    double lr = 0;
    int skipped = 0;
    for (int s = 0; s < run.steps; s++) {
      if (run.stop) {
        break;
      }
      long d0 = clock.getAsLong();
      B b = task.batch(s);
      long d1 = clock.getAsLong();
      if (b == null) {
        continue;
      }
      lr = schedule.at(run.step);
      float loss = task.forwardBackward(b, manager);
      double norm =
          Float.isFinite(loss) ? optimizer.update(params, lr, cfg.gradClip()) : Double.NaN;
      if (!Double.isFinite(norm)) {
        optimizer.skip(params);
        skipped++;
        log.accept(
            String.format(
                Locale.ROOT,
                "skipping step %d of epoch %d: loss %s, gradient norm %s (first example %s)",
                s + 1,
                epoch,
                loss,
                norm,
                task.describe(s)));
        if (skipped > MAX_SKIPPED_STEPS) {
          throw new IllegalStateException(
              "training diverged: more than "
                  + MAX_SKIPPED_STEPS
                  + " steps with a non-finite loss or gradient in epoch "
                  + epoch
                  + "; lower --lr or raise --warmup");
        }
        continue;
      }
      task.afterUpdate();
      run.step++;
      lossSum += loss;
      lossN++;
      int rows = task.rows(b);
      samples += rows;
      StepStats st =
          new StepStats(
              epoch,
              cfg.epochs(),
              s + 1,
              run.steps,
              run.step,
              loss,
              lr,
              rows,
              d1 - d0,
              clock.getAsLong() - d0);
      listeners.forEach(l -> l.onTrainingBatch(run, st));
    }
    if (run.stop) {
      return null;
    }
    double secs = (clock.getAsLong() - t0) / 1e9;
    Recall r = task.evaluate(manager);
    return new EpochStats(
        epoch,
        lossN == 0 ? Double.NaN : lossSum / lossN,
        lr,
        samples / Math.max(secs, 1e-9),
        secs,
        r);
  }

  private Outcome finish(
      TrainingTask<?> task, CheckpointStore store, Run run, ParameterSet params, NDManager manager)
      throws IOException {
    TrainState state = run.state;
    if (run.stop && !run.finished && state.completedEpochs() < cfg.epochs()) {
      log.accept(
          "stopped; --resume continues after epoch "
              + state.completedEpochs()
              + (store.persistent() ? " from " + store.dir().orElseThrow() : ""));
      return new Outcome(state, null, state.completedEpochs(), false, true);
    }
    int kept = state.completedEpochs();
    if (cfg.keep() == LoopConfig.Keep.BEST) {
      params.load(store.loadBest());
      kept = state.bestEpoch();
    }
    Recall after = task.evaluate(manager);
    log.accept("validation after training (epoch " + kept + " kept): " + after);
    return new Outcome(
        state, after, kept, run.finished && state.completedEpochs() < cfg.epochs(), false);
  }

  /** The run's mutable state, as listeners see it. */
  private final class Run implements TrainingRun {
    private final TrainingTask<?> task;
    private final int steps;
    private TrainState state;
    private long step;
    private boolean stop;
    private boolean finished;

    Run(TrainingTask<?> task, int steps, TrainState state) {
      this.task = task;
      this.steps = steps;
      this.state = state;
      this.step = state.step();
    }

    @Override
    public LoopConfig config() {
      return cfg;
    }

    @Override
    public TrainState state() {
      return state;
    }

    @Override
    public int stepsPerEpoch() {
      return steps;
    }

    @Override
    public String modelStatus() {
      return task.status();
    }

    @Override
    public void requestStop() {
      stop = true;
    }

    @Override
    public void finish(String reason) {
      if (!finished) {
        finished = true;
        log.accept(reason);
      }
    }
  }
}
