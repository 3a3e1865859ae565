package dev.shopsearch.trainer.train;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.trainer.clip.ParameterSet;
import java.util.Random;

/**
 * What a model family gives the {@link TrainingLoop}: its parameters, its batches and loss, and its
 * validation score. The loop owns everything else (optimizer, schedule, resume, checkpoints, early
 * stopping through its listeners, the stop signal). The loop calls {@link #beginEpoch} once per
 * epoch, then {@link #batch} and {@link #forwardBackward} for each step in order; every random
 * choice must come from the {@code Random} handed to {@link #beginEpoch} (or DJL's engine seed,
 * which the loop sets per epoch), so that a resumed run repeats exactly what an uninterrupted one
 * would have done. Not thread-safe.
 *
 * @param <B> a collated batch
 */
public interface TrainingTask<B> {

  /** Training examples per epoch (at least 2). */
  int examples();

  /** The parameters the optimizer updates and the checkpoints hold. */
  ParameterSet parameters();

  /**
   * Arranges epoch {@code epoch} (1-based) into steps of {@code batchSize} examples.
   *
   * @param rnd this epoch's random source, seeded from the run's seed and the epoch
   */
  void beginEpoch(int epoch, int batchSize, Random rnd);

  /**
   * Collates step {@code step} (0-based) of the current epoch.
   *
   * @return the batch, or {@code null} when fewer than 2 of its examples are usable (the step is
   *     left out; it does not advance the schedule)
   */
  B batch(int step);

  /** Rows of {@code batch}. */
  int rows(B batch);

  /**
   * Forward and backward pass on {@code batch} (gradients accumulate on the parameters); the
   * optimizer update is the loop's.
   *
   * @return the loss (a non-finite loss makes the loop skip the update)
   */
  float forwardBackward(B batch, NDManager manager);

  /** Called after each applied update (e.g. to clamp the logit scale). */
  default void afterUpdate() {}

  /** Names step {@code step}'s first example for a log line about a skipped step. */
  String describe(int step);

  /** Validation recall of the current parameters (no augmentation, no dropout). */
  Recall evaluate(NDManager manager);

  /** A short description of the model's state for the epoch line (e.g. the temperature). */
  default String status() {
    return "";
  }
}
