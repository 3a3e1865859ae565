package dev.shopsearch.trainer.train;

import java.util.List;

/**
 * Progress of a run as stored in a checkpoint.
 *
 * @param completedEpochs epochs finished
 * @param step optimizer steps taken
 * @param bestR10 best validation {@link Recall#selectionScore()} (R@10, ties broken by R@1/R@5)
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
