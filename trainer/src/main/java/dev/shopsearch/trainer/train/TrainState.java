package dev.shopsearch.trainer.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Progress of a run as the {@link CheckpointStore} keeps it with the {@code last} checkpoint:
 * enough for {@code --resume} to continue exactly (both model families).
 *
 * @param completedEpochs epochs finished
 * @param step optimizer steps taken (the learning-rate schedule's position)
 * @param bestScore best validation {@link Recall#selectionScore()} so far (the initial parameters'
 *     score before the first epoch)
 * @param bestEpoch epoch of {@code bestScore} (0: the initial parameters)
 * @param before validation recall of the initial parameters
 * @param history per-epoch statistics, one per finished epoch
 */
public record TrainState(
    int completedEpochs,
    long step,
    double bestScore,
    int bestEpoch,
    Recall before,
    List<EpochStats> history) {

  public TrainState {
    history = List.copyOf(history);
  }

  /** The state before the first epoch: the initial parameters are the best so far. */
  public static TrainState start(Recall before) {
    return new TrainState(0, 0, before.selectionScore(), 0, before, List.of());
  }

  /** Epochs since the best one (what early stopping compares with its patience). */
  public int badEpochs() {
    return completedEpochs - bestEpoch;
  }

  /** Mean training loss per finished epoch. */
  public List<Double> losses() {
    return history.stream().map(EpochStats::trainLoss).toList();
  }

  /** Validation recall after each finished epoch. */
  public List<Recall> validation() {
    return history.stream().map(EpochStats::validation).toList();
  }

  /**
   * The state after {@code epoch} finished at optimizer step {@code stepAfter}; {@code improved}
   * makes it the best epoch.
   */
  TrainState next(EpochStats epoch, long stepAfter, boolean improved) {
    List<EpochStats> h = new ArrayList<>(history);
    h.add(epoch);
    return new TrainState(
        epoch.epoch(),
        stepAfter,
        improved ? epoch.validation().selectionScore() : bestScore,
        improved ? epoch.epoch() : bestEpoch,
        before,
        h);
  }
}
