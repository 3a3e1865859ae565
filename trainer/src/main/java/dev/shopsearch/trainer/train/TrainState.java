package dev.shopsearch.trainer.train;

import java.util.List;

/**
 * Progress of a run as stored in a checkpoint.
 *
 * @param completedEpochs epochs finished
 * @param step optimizer steps taken
 * @param bestR10 best validation R@10 (mean of both directions) so far
 * @param bestEpoch epoch of {@code bestR10} (0: before training)
 * @param badEpochs epochs since the best
 * @param before validation recall before training
 * @param history per-epoch statistics
 */
public record TrainState(
    int completedEpochs,
    long step,
    double bestR10,
    int bestEpoch,
    int badEpochs,
    Recall before,
    List<EpochStats> history) {
  public TrainState {
    history = List.copyOf(history);
  }
}
