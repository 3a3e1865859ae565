package dev.shopsearch.trainer.train;

import java.util.Locale;

/**
 * Ends a run when the validation score has not improved for {@code patience} epochs, modelled on
 * DJL's {@code EarlyStoppingListener} (epoch patience on a monitored value). DJL's listener cannot
 * be used: it reads the loss from a DJL {@code Trainer}'s {@code TrainingResult}, while this loop
 * selects on validation recall ({@link Recall#selectionScore()}, kept in {@link TrainState}), and
 * it signals by throwing where {@link TrainingRun#finish} completes the run normally. A resumed run
 * that had already stopped early trains no further epoch. Patience 0 never stops.
 */
public final class EarlyStopping implements TrainingListener {

  private final int patience;

  /**
   * @param patience epochs without a better validation score, at least 0 (0: never stop)
   */
  public EarlyStopping(int patience) {
    if (patience < 0) {
      throw new IllegalArgumentException("patience must be >= 0; patience=" + patience);
    }
    this.patience = patience;
  }

  @Override
  public void onTrainingBegin(TrainingRun run) {
    check(run);
  }

  @Override
  public void onEpoch(TrainingRun run, EpochStats epoch, boolean improved) {
    check(run);
  }

  private void check(TrainingRun run) {
    TrainState s = run.state();
    if (patience > 0 && s.completedEpochs() < run.config().epochs() && s.badEpochs() >= patience) {
      run.finish(
          String.format(
              Locale.ROOT,
              "early stop after epoch %d: no better validation score for %d epochs (best epoch %d)",
              s.completedEpochs(),
              patience,
              s.bestEpoch()));
    }
  }
}
