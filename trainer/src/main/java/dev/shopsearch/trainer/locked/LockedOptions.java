package dev.shopsearch.trainer.locked;

import dev.shopsearch.trainer.cli.LoopOptions;
import dev.shopsearch.trainer.cli.TemplateOptions;
import dev.shopsearch.trainer.cli.UsageException;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.train.LoopConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The locked-tower model and training options shared by {@code train-locked} and {@code
 * bench-locked} (a picocli mixin, with the loop's {@link LoopOptions#locked()} and the caption
 * {@link TemplateOptions}). Defaults are the best configuration measured on Myntra
 * (docs/locked-towers.md): residual heads 1024 wide, 4×4 colour layout, mirrored photos, batch 512,
 * 100 epochs with early stopping on the dev split.
 */
public final class LockedOptions {

  @Option(
      names = "--mobilenet",
      defaultValue = "../shared/models/mobilenetv2-12-int8.onnx",
      description = "MobileNetV2 ONNX (default: ${DEFAULT-VALUE})")
  Path mobilenet;

  @Mixin LoopOptions loop = LoopOptions.locked();

  /** Training captions; dev and validation captions are the product name. */
  @Mixin
  TemplateOptions templates =
      TemplateOptions.defaults(
          List.of("{name}", "{gender} {colour} {category}", "{gender} {colour} {category} {name}"));

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description = "Feature cache directory (default: OUT.features).")
  Path cache;

  @Option(
      names = "--colour-grid",
      defaultValue = "4",
      description =
          "append a colour layout (grid cells per side, divides 224) to the image feature")
  int colourGrid;

  @Option(
      names = "--mid-channels",
      split = ",",
      description =
          "append pooled mid-level convolutions with these output channels, e.g. 96,160,320")
  List<Integer> midChannels = new ArrayList<>();

  @Option(
      names = "--regions",
      defaultValue = "0",
      description =
          "append regional CNN features: the final 7x7 map pooled into N x N windows (0 = off)")
  int regions;

  @Option(
      names = "--flips",
      arity = "1",
      defaultValue = "true",
      description = "also train on mirrored photos (their features are cached once more)")
  boolean flips;

  @Option(names = "--dim", defaultValue = "256")
  int dim;

  /** Head architectures. */
  enum Head {
    LINEAR,
    MLP,
    RESIDUAL
  }

  @Option(
      names = "--head",
      defaultValue = "residual",
      description = "linear, mlp or residual (linear skip + MLP branch); default ${DEFAULT-VALUE}")
  String head;

  @Option(names = "--hidden", defaultValue = "1024", description = "MLP hidden width")
  int hidden;

  @Option(names = "--dropout", defaultValue = "0.2")
  double dropout;

  @Option(names = "--temperature", defaultValue = "0.07", description = "initial temperature")
  double temperature;

  @Option(
      names = "--loss",
      description =
          "Training loss: infonce (symmetric InfoNCE) or sigmoid (SigLIP's pairwise sigmoid loss,"
              + " learnable scale and bias; default: ${DEFAULT-VALUE}).")
  String loss = "infonce";

  @Option(names = "--feature-noise", defaultValue = "0.0")
  double featureNoise;

  @Option(names = "--feature-dropout", defaultValue = "0.1")
  double featureDropout;

  @Option(
      names = "--hard-cluster",
      defaultValue = "0",
      description = "look-alike cluster size for hard negatives; 0 = off")
  int hardCluster;

  @Option(names = "--hard-share", defaultValue = "0.5", description = "batch share of clusters")
  double hardShare;

  /** The seed of the splits, the head initialisation and the loop. */
  long seed() {
    return loop.seed();
  }

  /** The training caption templates. */
  List<String> templates() {
    return templates.templates();
  }

  /** The feature cache: {@code --cache}, else {@code OUT.features} next to {@code out}. */
  Path cache(Path out) {
    return cache != null ? cache : sibling(out, ".features");
  }

  /** {@code out}'s sibling with {@code suffix} appended to its name. */
  static Path sibling(Path out, String suffix) {
    Path abs = out.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + suffix);
  }

  /**
   * Loads the frozen towers with the chosen image extras.
   *
   * @throws UsageException when the extras do not fit the network
   */
  FrozenTowers towers() throws java.io.IOException {
    try {
      return FrozenTowers.load(
          mobilenet,
          colourGrid,
          midChannels.stream().mapToInt(Integer::intValue).toArray(),
          regions);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--colour-grid/--mid-channels/--regions: " + e.getMessage(), e);
    }
  }

  /**
   * The head architecture (called early: commands check it before loading anything).
   *
   * @throws UsageException unless linear, mlp or residual
   */
  Head head() {
    try {
      return Head.valueOf(head.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--head must be linear, mlp or residual; --head=" + head, e);
    }
  }

  /** The head configuration for {@code towers}. */
  LockedHeads.Config heads(FrozenTowers towers) {
    Head kind = head();
    try {
      return new LockedHeads.Config(
          towers.imageWidth(),
          towers.textWidth(),
          dim,
          kind == Head.LINEAR ? 0 : hidden,
          temperature,
          seed(),
          dropout,
          kind == Head.RESIDUAL);
    } catch (IllegalArgumentException e) {
      throw UsageException.of(
          e,
          Map.of(
              "dim", "--dim",
              "hidden", "--hidden",
              "dropout", "--dropout",
              "initialTemperature", "--temperature"));
    }
  }

  /**
   * The trainer configuration: with early stopping the best dev epoch's heads are kept, else the
   * last epoch's.
   *
   * @throws UsageException naming the option whose value is out of range
   */
  LockedTrainer.Config trainer() {
    LoopConfig l = loop.config(loop.patience() > 0 ? LoopConfig.Keep.BEST : LoopConfig.Keep.LAST);
    try {
      return new LockedTrainer.Config(
          l, featureNoise, featureDropout, hardCluster, hardShare, Objective.Kind.parse(loss));
    } catch (IllegalArgumentException e) {
      throw UsageException.of(
          e,
          Map.of(
              "featureNoise", "--feature-noise",
              "featureDropout", "--feature-dropout",
              "hardCluster", "--hard-cluster",
              "hardShare", "--hard-share",
              "loss", "--loss"));
    }
  }
}
