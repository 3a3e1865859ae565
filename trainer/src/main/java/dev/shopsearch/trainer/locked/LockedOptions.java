package dev.shopsearch.trainer.locked;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The locked-tower model and training options shared by {@code train-locked} and {@code
 * bench-locked} (a picocli mixin). Defaults are the best configuration measured on Myntra
 * (docs/locked-towers.md): residual heads 1024 wide, 4×4 colour layout, mirrored photos, batch 512,
 * 100 epochs with early stopping on the dev split.
 */
public final class LockedOptions {

  @Option(
      names = "--mobilenet",
      defaultValue = "../shared/models/mobilenetv2-12-int8.onnx",
      description = "MobileNetV2 ONNX (default: ${DEFAULT-VALUE})")
  Path mobilenet;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(
      names = "--template",
      description = "training caption template (repeatable)",
      defaultValue = "{name}|{gender} {colour} {category}|{gender} {colour} {category} {name}",
      split = "\\|")
  List<String> templates;

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

  @Option(names = "--feature-noise", defaultValue = "0.0")
  double featureNoise;

  @Option(names = "--feature-dropout", defaultValue = "0.1")
  double featureDropout;

  @Option(names = "--epochs", defaultValue = "100")
  int epochs;

  @Option(names = "--batch", defaultValue = "512")
  int batch;

  @Option(names = "--lr", defaultValue = "1e-3")
  double lr;

  @Option(names = "--warmup", defaultValue = "50", description = "warmup steps")
  long warmup;

  @Option(names = "--weight-decay", defaultValue = "0.05")
  double weightDecay;

  @Option(names = "--patience", defaultValue = "25", description = "0: run every epoch")
  int patience;

  @Option(
      names = "--hard-cluster",
      defaultValue = "0",
      description = "look-alike cluster size for hard negatives; 0 = off")
  int hardCluster;

  @Option(names = "--hard-share", defaultValue = "0.5", description = "batch share of clusters")
  double hardShare;

  /** Loads the frozen towers with the chosen image extras. */
  FrozenTowers towers() throws java.io.IOException {
    return FrozenTowers.load(
        mobilenet, colourGrid, midChannels.stream().mapToInt(Integer::intValue).toArray(), regions);
  }

  /** The head configuration for {@code towers}. */
  LockedHeads.Config heads(FrozenTowers towers) {
    Head kind;
    try {
      kind = Head.valueOf(head.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--head must be linear, mlp or residual; --head=" + head, e);
    }
    return new LockedHeads.Config(
        towers.imageWidth(),
        towers.textWidth(),
        dim,
        kind == Head.LINEAR ? 0 : hidden,
        temperature,
        seed,
        dropout,
        kind == Head.RESIDUAL);
  }

  /** The trainer configuration, with per-epoch checkpoints in {@code checkpoints} (or none). */
  LockedTrainer.Config trainer(Path checkpoints) {
    return new LockedTrainer.Config(
        epochs,
        batch,
        lr,
        warmup,
        weightDecay,
        1.0,
        seed,
        featureNoise,
        featureDropout,
        patience,
        checkpoints,
        hardCluster,
        hardShare);
  }
}
