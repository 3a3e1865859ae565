package dev.shopsearch.trainer.locked;

import dev.shopsearch.trainer.train.Recall;
import java.util.List;

/**
 * Progress of a locked-tower run as stored with the {@code last} checkpoint, enough to continue it
 * exactly ({@code --resume}).
 *
 * @param completedEpochs epochs finished
 * @param step optimizer steps taken (the learning-rate schedule's position)
 * @param bestScore best held-out {@link Recall#selectionScore()} so far
 * @param bestEpoch epoch of {@code bestScore} (0: before training)
 * @param before held-out recall of the initial heads
 * @param losses mean training loss per finished epoch
 * @param heldOut held-out recall per finished epoch
 */
public record LockedState(
    int completedEpochs,
    long step,
    double bestScore,
    int bestEpoch,
    Recall before,
    List<Double> losses,
    List<Recall> heldOut) {
  public LockedState {
    losses = List.copyOf(losses);
    heldOut = List.copyOf(heldOut);
  }
}
