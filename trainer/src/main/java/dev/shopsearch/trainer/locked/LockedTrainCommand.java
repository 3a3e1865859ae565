package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.trainer.cli.CatalogOptions;
import dev.shopsearch.trainer.cli.ResumeOptions;
import dev.shopsearch.trainer.cli.TrainerCli;
import dev.shopsearch.trainer.cli.UsageException;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trainer train-locked}: trains the locked-tower family on a catalog and writes a model
 * bundle. Products are split by id into train, dev (early stopping) and validation (reported in
 * {@code model.json}); dev and validation captions are the product name, the query a shopper types.
 * Checkpoints go to {@code --checkpoints} (default {@code OUT.checkpoints}); Ctrl-C stops at the
 * next step, keeping the last checkpoint, and {@code --resume} continues exactly.
 */
@Command(
    name = "train-locked",
    mixinStandardHelpOptions = true,
    description =
        "Frozen MobileNetV2 + MiniLM towers, trained projection heads and temperature; writes a"
            + " bundle.")
public final class LockedTrainCommand implements Callable<Integer> {

  @Mixin CatalogOptions catalog = new CatalogOptions();

  @Option(names = "--out", required = true, description = "Bundle directory to write.")
  Path out;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "Checkpoint directory (default: OUT.checkpoints).")
  Path checkpoints;

  @Mixin ResumeOptions resume = new ResumeOptions();

  @Option(
      names = "--val",
      defaultValue = "0.1",
      description = "Validation share of products (default: ${DEFAULT-VALUE}).")
  double val;

  @Option(
      names = "--dev",
      defaultValue = "0.1",
      description = "Dev share of the training products (default: ${DEFAULT-VALUE}).")
  double dev;

  @Option(names = "--name", defaultValue = "locked-mobilenet-minilm", description = "Bundle name.")
  String name;

  @Mixin LockedOptions opts = new LockedOptions();

  @Override
  public Integer call() throws Exception {
    Instant start = Instant.now();
    UsageException.requireIn("--val", val, 0, ExampleSet.MAX_VAL_FRACTION);
    UsageException.requireIn("--dev", dev, 0, ExampleSet.MAX_VAL_FRACTION);
    LockedTrainer.Config cfg = opts.trainer();
    opts.head();
    LockedSplits s =
        LockedSplits.read(
            catalog.catalog(), catalog.mapping(), opts.templates(), val, dev, opts.seed());
    Path ckpt = checkpoints != null ? checkpoints : LockedOptions.sibling(out, ".checkpoints");
    StopSignal stop = new StopSignal();
    try (StopSignal.ShutdownHook hook = stop.onShutdown(System.err::println);
        FrozenTowers towers = opts.towers();
        NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads = new LockedHeads(opts.heads(towers), manager);
      LockedTrainer trainer =
          new LockedTrainer(towers, new FeatureCache(opts.cache(out)), System.out::println)
              .listen(stop);
      FeatureExtractor fx = trainer.extractor();
      Features train = fx.features(s.train(), opts.flips);
      Features devF = fx.features(s.dev());
      Features valF = fx.features(s.validation());
      LockedTrainer.Result result =
          trainer.train(train, devF, heads, cfg, new CheckpointStore(ckpt), resume.resume());
      if (result.interrupted()) {
        System.err.println("interrupted; rerun with --resume to continue from " + ckpt);
        return TrainerCli.EXIT_INTERRUPTED;
      }
      Recall validation = LockedTrainer.evaluate(valF, heads, manager);
      System.out.println("validation (product name → photo): " + validation);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("validationR10", validation.r10());
      meta.put("validationRecall", validation.toString());
      meta.put("bestDevEpoch", result.bestEpoch());
      meta.put("trainExamples", result.trainExamples());
      meta.put("heads", heads.config().toString());
      ModelBundle bundle =
          LockedExporter.export(out, towers, heads, name, Instant.now().toString(), meta);
      System.out.printf(
          Locale.ROOT,
          "wrote %s (dim %d) in %ds%n",
          bundle.dir(),
          bundle.manifest().dim(),
          Duration.between(start, Instant.now()).toSeconds());
    }
    return TrainerCli.EXIT_OK;
  }
}
