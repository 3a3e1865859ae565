package dev.shopsearch.trainer.cli;

import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.Option;

/** Training options shared by {@code fine-tune}, {@code demo} and {@code bench}. */
public final class TrainOptions {
  @Option(names = "--epochs", description = "maximum epochs (default ${DEFAULT-VALUE})")
  int epochs = 10;

  @Option(names = "--batch", description = "batch size (default ${DEFAULT-VALUE})")
  int batch = 64;

  @Option(
      names = "--lr",
      description =
          "peak learning rate (default ${DEFAULT-VALUE}; full CLIP fine-tuning: 1e-6..5e-5)")
  double lr = 5e-4;

  @Option(names = "--warmup", description = "warmup steps (default ${DEFAULT-VALUE})")
  long warmup = 50;

  @Option(
      names = "--min-lr-fraction",
      description = "cosine floor / peak (default ${DEFAULT-VALUE})")
  double minLrFraction = 0.05;

  @Option(names = "--weight-decay", description = "AdamW weight decay (default ${DEFAULT-VALUE})")
  double weightDecay = 0.1;

  @Option(
      names = "--grad-clip",
      description = "gradient norm limit, 0 = off (default ${DEFAULT-VALUE})")
  double gradClip = 1.0;

  @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
  long seed = 42;

  @Option(
      names = "--mask-prob",
      description = "caption token masking probability (default ${DEFAULT-VALUE})")
  double maskProb = 0.15;

  @Option(
      names = "--crop-min",
      description = "random resized crop minimum area (default ${DEFAULT-VALUE})")
  double cropMin = 0.6;

  @Option(
      names = "--patience",
      description =
          "early stopping: epochs without better val R@10, 0 = off (default ${DEFAULT-VALUE})")
  int patience = 3;

  @Option(
      names = "--max-val",
      description = "validation photos used for recall (default ${DEFAULT-VALUE})")
  int maxVal = 2000;

  @Option(names = "--val-fraction", description = "held-out products (default ${DEFAULT-VALUE})")
  double valFraction = 0.1;

  @Option(
      names = "--template",
      description =
          "caption template, repeatable (default: \"{gender} {colour} {name}\", \"{name}\", \"{colour} {pattern} {category}\")")
  List<String> templates;

  @Option(names = "--group-by", description = "attribute grouping photos into looks (e.g. sku)")
  String groupBy;

  @Option(
      names = "--freeze-last",
      description = "train only the last N blocks + projections (default: train all)")
  int freezeLast = -1;

  @Option(
      names = "--hard-negatives",
      description =
          "fraction of each batch drawn from one category (in-batch hard negatives), 0..1"
              + " (default ${DEFAULT-VALUE})")
  double hardNegatives;

  TrainConfig config() {
    return new TrainConfig(
        epochs,
        batch,
        lr,
        warmup,
        minLrFraction,
        weightDecay,
        gradClip,
        seed,
        maskProb,
        cropMin,
        patience,
        maxVal,
        100,
        hardNegatives);
  }

  CaptionTemplates captions() {
    return new CaptionTemplates(
        templates == null || templates.isEmpty() ? CaptionTemplates.DEFAULTS : templates);
  }
}
