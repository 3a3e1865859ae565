package dev.shopsearch.trainer.train;

import java.util.Locale;

/**
 * Settings of one training run.
 *
 * @param epochs maximum epochs, in [1, 1000]
 * @param batchSize pairs per step, in [2, 4096] (InfoNCE needs negatives)
 * @param learningRate peak learning rate (full CLIP: 1e-6 to 5e-5; from scratch: ~5e-4)
 * @param warmupSteps linear warmup steps
 * @param minLrFraction cosine decay floor as a fraction of the peak
 * @param weightDecay AdamW decoupled weight decay (matrices only)
 * @param gradClip global gradient-norm limit (0 disables)
 * @param seed seed of initialisation, shuffling, augmentation and masking
 * @param tokenMaskProb probability of replacing a caption token by the mask id, in [0, 0.5]
 * @param cropMinScale minimum area fraction of the random resized crop, in (0, 1]
 * @param patience epochs without a better validation R@10 before stopping (0: never stop early)
 * @param maxValidation cap on validation examples used for recall (0: all)
 * @param maxLogitScale upper bound of exp(logit_scale)
 * @param hardNegatives fraction of each batch drawn from one category (in-batch hard negatives:
 *     same category, other products), in [0, 1]; 0 = plain shuffling
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double learningRate,
    long warmupSteps,
    double minLrFraction,
    double weightDecay,
    double gradClip,
    long seed,
    double tokenMaskProb,
    double cropMinScale,
    int patience,
    int maxValidation,
    double maxLogitScale,
    double hardNegatives) {

  public TrainConfig {
    check(epochs >= 1 && epochs <= 1000, "epochs", epochs, "[1, 1000]");
    check(batchSize >= 2 && batchSize <= 4096, "batchSize", batchSize, "[2, 4096]");
    check(learningRate > 0 && learningRate < 1, "learningRate", learningRate, "(0, 1)");
    check(warmupSteps >= 0, "warmupSteps", warmupSteps, ">= 0");
    check(minLrFraction >= 0 && minLrFraction <= 1, "minLrFraction", minLrFraction, "[0, 1]");
    check(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "[0, 1)");
    check(gradClip >= 0, "gradClip", gradClip, ">= 0");
    check(tokenMaskProb >= 0 && tokenMaskProb <= 0.5, "tokenMaskProb", tokenMaskProb, "[0, 0.5]");
    check(cropMinScale > 0 && cropMinScale <= 1, "cropMinScale", cropMinScale, "(0, 1]");
    check(patience >= 0, "patience", patience, ">= 0");
    check(maxValidation >= 0, "maxValidation", maxValidation, ">= 0");
    check(maxLogitScale >= 1 && maxLogitScale <= 1000, "maxLogitScale", maxLogitScale, "[1, 1000]");
    check(hardNegatives >= 0 && hardNegatives <= 1, "hardNegatives", hardNegatives, "[0, 1]");
  }

  /** Defaults for a small model trained from scratch. */
  public static TrainConfig defaults() {
    return new TrainConfig(10, 64, 5e-4, 50, 0.05, 0.1, 1.0, 42, 0.15, 0.6, 3, 2000, 100, 0);
  }

  /** A copy with other epochs. */
  public TrainConfig withEpochs(int e) {
    return new TrainConfig(
        e,
        batchSize,
        learningRate,
        warmupSteps,
        minLrFraction,
        weightDecay,
        gradClip,
        seed,
        tokenMaskProb,
        cropMinScale,
        patience,
        maxValidation,
        maxLogitScale,
        hardNegatives);
  }

  private static void check(boolean ok, String name, Object value, String range) {
    if (!ok) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in %s; %s=%s", name, range, name, value));
    }
  }
}
