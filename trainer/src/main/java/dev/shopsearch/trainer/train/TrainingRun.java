package dev.shopsearch.trainer.train;

/**
 * A {@link TrainingLoop} run as its {@link TrainingListener}s see it: its settings, its progress,
 * and the two ways to end it. Not thread-safe: use it from the callbacks only (other threads use a
 * {@link StopSignal}).
 */
public interface TrainingRun {

  /** The loop's settings. */
  LoopConfig config();

  /** Progress as of the last finished epoch (what the {@code last} checkpoint holds). */
  TrainState state();

  /** Optimizer steps per epoch. */
  int stepsPerEpoch();

  /** The model family's one-line status (e.g. the temperature), possibly empty. */
  String modelStatus();

  /**
   * Interrupts the run: it ends before the next step; an epoch in progress is discarded and the
   * last checkpoint stays as it is, so {@code --resume} continues exactly. The run's outcome is
   * {@link TrainingLoop.Outcome#interrupted()}.
   */
  void requestStop();

  /**
   * Completes the run before its next epoch (early stopping): the kept parameters are restored and
   * evaluated as after the last epoch.
   *
   * @param reason logged once
   */
  void finish(String reason);
}
