package dev.shopsearch.trainer.cli;

import dev.shopsearch.trainer.train.LoopConfig;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The training-loop options both model families share (a picocli mixin), with each family's
 * defaults: {@link #clip()} and {@link #locked()}.
 */
public final class LoopOptions {

  private static final Map<String, String> OPTION_NAMES =
      Map.of(
          "epochs", "--epochs",
          "batchSize", "--batch",
          "learningRate", "--lr",
          "warmupSteps", "--warmup",
          "minLrFraction", "--min-lr-fraction",
          "weightDecay", "--weight-decay",
          "gradClip", "--grad-clip",
          "patience", "--patience");

  @Option(names = "--epochs", description = "Maximum epochs, 1..10000 (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch",
      description = "Examples per step, 2..65536 (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--lr",
      description =
          "Peak learning rate, (0, 1) (default: ${DEFAULT-VALUE}; full CLIP fine-tuning:"
              + " 1e-6..5e-5).")
  double lr;

  @Option(
      names = "--warmup",
      description = "Linear warmup steps, capped at half the run (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(
      names = "--min-lr-fraction",
      description = "Floor of the cosine decay / peak, 0..1 (default: ${DEFAULT-VALUE}).")
  double minLrFraction;

  @Option(
      names = "--weight-decay",
      description = "AdamW decoupled weight decay, [0, 1) (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(
      names = "--grad-clip",
      description = "Global gradient-norm limit, 0 = off (default: ${DEFAULT-VALUE}).")
  double gradClip;

  @Option(
      names = "--patience",
      description =
          "Early stopping: epochs without a better validation score, 0 = off"
              + " (default: ${DEFAULT-VALUE}).")
  int patience;

  @Option(
      names = "--seed",
      description =
          "Seed of initialisation, splits, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
  long seed;

  private LoopOptions(
      int epochs,
      int batch,
      double lr,
      long warmup,
      double minLrFraction,
      double weightDecay,
      int patience) {
    this.epochs = epochs;
    this.batch = batch;
    this.lr = lr;
    this.warmup = warmup;
    this.minLrFraction = minLrFraction;
    this.weightDecay = weightDecay;
    this.gradClip = 1.0;
    this.patience = patience;
    this.seed = 42;
  }

  /** The CLIP family's defaults: 10 epochs, batch 64, lr 5e-4, floor 5 %, decay 0.1, patience 3. */
  public static LoopOptions clip() {
    return new LoopOptions(10, 64, 5e-4, 50, 0.05, 0.1, 3);
  }

  /**
   * The locked family's defaults (the best measured configuration, docs/locked-towers.md): 100
   * epochs, batch 512, lr 1e-3, floor 10 %, decay 0.05, patience 25.
   */
  public static LoopOptions locked() {
    return new LoopOptions(100, 512, 1e-3, 50, 0.1, 0.05, 25);
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The maximum epochs. */
  public int epochs() {
    return epochs;
  }

  /** The early-stopping patience (0: off). */
  public int patience() {
    return patience;
  }

  /**
   * The loop configuration.
   *
   * @throws UsageException naming the option whose value is out of range
   */
  public LoopConfig config(LoopConfig.Keep keep) {
    try {
      return new LoopConfig(
          epochs, batch, lr, warmup, minLrFraction, weightDecay, gradClip, seed, patience, keep);
    } catch (IllegalArgumentException e) {
      throw UsageException.of(e, OPTION_NAMES);
    }
  }
}
