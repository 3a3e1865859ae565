package dev.shopsearch.trainer.clip;

/**
 * Linear warmup from 0 to {@code peak} over {@code warmupSteps}, then cosine decay to {@code peak *
 * minFraction} at {@code totalSteps}.
 */
public record LrSchedule(double peak, long warmupSteps, long totalSteps, double minFraction) {

  public LrSchedule {
    if (!(peak > 0 && peak < 1)) {
      throw new IllegalArgumentException("learning rate must be in (0, 1); lr=" + peak);
    }
    if (warmupSteps < 0 || totalSteps < 1) {
      throw new IllegalArgumentException(
          "warmup must be >= 0 and total steps >= 1; warmup="
              + warmupSteps
              + " total="
              + totalSteps);
    }
  }

  /** Learning rate for 0-based {@code step}. */
  public double at(long step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / (double) warmupSteps;
    }
    long span = Math.max(1, totalSteps - warmupSteps);
    double t = Math.min(1.0, (step - warmupSteps) / (double) span);
    double min = peak * minFraction;
    return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * t));
  }
}
