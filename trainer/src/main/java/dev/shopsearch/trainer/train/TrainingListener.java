package dev.shopsearch.trainer.train;

/**
 * Observes a {@link TrainingLoop} run and may end it, modelled on DJL's {@code
 * ai.djl.training.listener.TrainingListener} (begin, each training batch, each epoch, end). DJL's
 * own interface cannot be used here: its callbacks take a DJL {@code Trainer}, which needs a DJL
 * {@code Model} and {@code Block}, and neither family is one (the CLIP towers are NDArray functions
 * over {@link dev.shopsearch.trainer.clip.ParameterSet}s, the optimizer is our AdamW). Callbacks
 * run on the training thread, in registration order; an exception thrown by one fails the run.
 * Every method does nothing by default.
 */
public interface TrainingListener {

  /** Before the first epoch of this process (after a resume: with the restored state). */
  default void onTrainingBegin(TrainingRun run) {}

  /** After each applied optimizer update. */
  default void onTrainingBatch(TrainingRun run, StepStats step) {}

  /**
   * After an epoch was evaluated and checkpointed; {@link TrainingRun#state()} already includes it.
   *
   * @param improved whether the epoch has the best validation score so far
   */
  default void onEpoch(TrainingRun run, EpochStats epoch, boolean improved) {}

  /** When the run returns (finished, stopped early or interrupted). */
  default void onTrainingEnd(TrainingRun run, TrainingLoop.Outcome outcome) {}
}
