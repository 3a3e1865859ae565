package dev.shopsearch.trainer.cli;

import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.LoopConfig;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The CLIP family's training options (a picocli mixin of {@code fine-tune}, {@code demo} and {@code
 * bench}): the loop's ({@link LoopOptions#clip()}), the caption templates, and the CLIP-specific
 * ones. The CLIP family always ends with the best validation epoch's weights.
 */
public final class TrainOptions {

  @Mixin LoopOptions loop = LoopOptions.clip();

  @Mixin TemplateOptions templates = TemplateOptions.defaults(CaptionTemplates.DEFAULTS);

  @Option(
      names = "--mask-prob",
      description = "Caption token masking probability, 0..0.5 (default: ${DEFAULT-VALUE}).")
  double maskProb = 0.15;

  @Option(
      names = "--crop-min",
      description = "Random resized crop minimum area, (0, 1] (default: ${DEFAULT-VALUE}).")
  double cropMin = 0.6;

  @Option(
      names = "--max-val",
      description = "Validation photos used for recall, 0 = all (default: ${DEFAULT-VALUE}).")
  int maxVal = 2000;

  @Option(
      names = "--val-fraction",
      description = "Share of products held out for validation (default: ${DEFAULT-VALUE}).")
  double valFraction = 0.1;

  @Option(names = "--group-by", description = "Attribute grouping photos into looks (e.g. sku).")
  String groupBy;

  @Option(
      names = "--freeze-last",
      description = "Train only the last N blocks + projections (default: train all).")
  int freezeLast = -1;

  @Option(
      names = "--hard-negatives",
      description =
          "Share of each batch drawn from one category (in-batch hard negatives), 0..1"
              + " (default: ${DEFAULT-VALUE}).")
  double hardNegatives;

  @Option(
      names = "--loss",
      description =
          "Training loss: infonce (symmetric InfoNCE) or sigmoid (SigLIP's pairwise sigmoid loss,"
              + " learnable scale and bias; default: infonce, sigmoid when fine-tuning a SigLIP,"
              + " whose own logit_scale and logit_bias then seed and carry them).")
  String loss;

  /** Options whose caption templates default to {@code templates} (e.g. the demo's). */
  static TrainOptions withTemplates(List<String> templates) {
    TrainOptions o = new TrainOptions();
    o.templates = TemplateOptions.defaults(templates);
    return o;
  }

  /** The seed. */
  long seed() {
    return loop.seed();
  }

  /**
   * The trainer configuration.
   *
   * @throws UsageException naming the option whose value is out of range
   */
  ClipTrainer.Config config() {
    return config(Objective.Kind.INFONCE);
  }

  /**
   * The trainer configuration, with {@code defaultLoss} unless {@code --loss} is given.
   *
   * @throws UsageException naming the option whose value is out of range
   */
  ClipTrainer.Config config(Objective.Kind defaultLoss) {
    LoopConfig l = loop.config(LoopConfig.Keep.BEST);
    try {
      return new ClipTrainer.Config(
          l,
          maskProb,
          cropMin,
          maxVal,
          100,
          hardNegatives,
          loss == null ? defaultLoss : Objective.Kind.parse(loss));
    } catch (IllegalArgumentException e) {
      throw UsageException.of(
          e,
          Map.of(
              "tokenMaskProb", "--mask-prob",
              "cropMinScale", "--crop-min",
              "maxValidation", "--max-val",
              "hardNegatives", "--hard-negatives",
              "loss", "--loss"));
    }
  }

  /** The caption templates. */
  CaptionTemplates captions() {
    return templates.captions();
  }

  /**
   * The share of products held out for validation.
   *
   * @throws UsageException unless in [0, {@link ExampleSet#MAX_VAL_FRACTION}]
   */
  double valFraction() {
    return UsageException.requireIn("--val-fraction", valFraction, 0, ExampleSet.MAX_VAL_FRACTION);
  }
}
