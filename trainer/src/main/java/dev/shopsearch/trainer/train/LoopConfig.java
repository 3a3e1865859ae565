package dev.shopsearch.trainer.train;

import java.util.Locale;

/**
 * Settings of the {@link TrainingLoop} that both model families share: epochs, batching, AdamW with
 * linear warmup and cosine decay, gradient clipping, the seed, early stopping and which parameters
 * the run ends with.
 *
 * @param epochs maximum epochs, in [1, 10000]
 * @param batchSize examples per step, in [2, 65536] (InfoNCE needs negatives); capped at the number
 *     of training examples
 * @param learningRate peak learning rate, in (0, 1) (full CLIP: 1e-6 to 5e-5; from scratch: ~5e-4;
 *     locked heads: ~1e-3)
 * @param warmupSteps linear warmup steps, at least 0 (capped at half the run)
 * @param minLrFraction floor of the cosine decay as a fraction of the peak, in [0, 1]
 * @param weightDecay AdamW decoupled weight decay (matrices only), in [0, 1)
 * @param gradClip global gradient-norm limit, at least 0 (0 disables)
 * @param seed seed of each epoch's order, augmentation and dropout ({@code seed * 1000003 +
 *     epoch}), so a resumed run repeats what an uninterrupted one would have done
 * @param patience early stopping: epochs without a better validation score before the run ends, at
 *     least 0 (0: never stop early)
 * @param keep which parameters the run ends with
 */
public record LoopConfig(
    int epochs,
    int batchSize,
    double learningRate,
    long warmupSteps,
    double minLrFraction,
    double weightDecay,
    double gradClip,
    long seed,
    int patience,
    Keep keep) {

  /** Which parameters a finished run leaves in place. */
  public enum Keep {
    /** The epoch with the best validation score (0 = the initial parameters). */
    BEST,
    /** The last epoch's (nothing is selected on the validation split). */
    LAST
  }

  public LoopConfig {
    check(epochs >= 1 && epochs <= 10_000, "epochs", epochs, "[1, 10000]");
    check(batchSize >= 2 && batchSize <= 65_536, "batchSize", batchSize, "[2, 65536]");
    check(learningRate > 0 && learningRate < 1, "learningRate", learningRate, "(0, 1)");
    check(warmupSteps >= 0, "warmupSteps", warmupSteps, "[0, inf)");
    check(minLrFraction >= 0 && minLrFraction <= 1, "minLrFraction", minLrFraction, "[0, 1]");
    check(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "[0, 1)");
    check(gradClip >= 0, "gradClip", gradClip, "[0, inf)");
    check(patience >= 0, "patience", patience, "[0, inf)");
    if (keep == null) {
      throw new IllegalArgumentException("keep must be BEST or LAST; keep=null");
    }
  }

  private static void check(boolean ok, String name, Object value, String range) {
    if (!ok) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in %s; %s=%s", name, range, name, value));
    }
  }
}
