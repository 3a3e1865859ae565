package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code train-locked}: trains the locked-tower family on a catalog and writes a model bundle.
 * Products are split by id into train, dev (early stopping) and validation (reported in {@code
 * model.json}); dev and validation captions are the product name, the query a shopper types.
 * Checkpoints go to {@code --checkpoints} (default {@code OUT.checkpoints}); Ctrl-C stops after the
 * current epoch's checkpoint and {@code --resume} continues exactly. Launch with {@code
 * -Dai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}.
 */
@Command(
    name = "train-locked",
    mixinStandardHelpOptions = true,
    description =
        "Frozen MobileNetV2 + MiniLM towers, trained projection heads and temperature; writes a"
            + " bundle.")
public final class LockedTrainCommand implements Callable<Integer> {

  @Option(names = "--catalog", required = true, description = "catalog file (jsonl/csv/tsv)")
  Path catalog;

  @Option(
      names = "--mapping",
      defaultValue = "auto",
      description = "auto (default), magentoLuma, myntra, or a mapping file (.json/.properties)")
  String mapping;

  @Option(names = "--out", required = true, description = "bundle directory to write")
  Path out;

  @Option(names = "--cache", description = "feature cache directory (default: OUT.features)")
  Path cache;

  @Option(names = "--checkpoints", description = "checkpoint directory (default: OUT.checkpoints)")
  Path checkpoints;

  @Option(names = "--resume", description = "continue from the last checkpoint")
  boolean resume;

  @Option(names = "--val", defaultValue = "0.1", description = "validation share of products")
  double val;

  @Option(names = "--dev", defaultValue = "0.1", description = "dev share of training products")
  double dev;

  @Option(names = "--name", defaultValue = "locked-mobilenet-minilm")
  String name;

  @Mixin LockedOptions opts = new LockedOptions();

  @Override
  public Integer call() throws Exception {
    Instant start = Instant.now();
    LockedSplits s = LockedSplits.read(catalog, mapping, opts.templates, val, dev, opts.seed);
    Path cacheDir = cache != null ? cache : sibling(".features");
    Path ckpt = checkpoints != null ? checkpoints : sibling(".checkpoints");
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> stopAndWait(stop, done), "train-locked-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (FrozenTowers towers = opts.towers();
        NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads = new LockedHeads(opts.heads(towers), manager);
      LockedTrainer trainer =
          new LockedTrainer(towers, new FeatureCache(cacheDir), System.out::println)
              .stopWhen(stop::get);
      FeatureExtractor fx = trainer.extractor();
      Features train = fx.features(s.train(), opts.flips);
      Features devF = fx.features(s.dev());
      Features valF = fx.features(s.validation());
      LockedTrainer.Result result = trainer.train(train, devF, heads, opts.trainer(ckpt), resume);
      if (result.interrupted()) {
        System.err.println("interrupted; rerun with --resume to continue from " + ckpt);
        return 130;
      }
      Recall validation = trainer.evaluate(valF, heads, manager);
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
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running and waits for done
      }
    }
    return 0;
  }

  private Path sibling(String suffix) {
    Path abs = out.toAbsolutePath().normalize();
    return abs.resolveSibling(abs.getFileName() + suffix);
  }

  private static void stopAndWait(AtomicBoolean stop, CountDownLatch done) {
    if (done.getCount() == 0) {
      return;
    }
    System.err.println("stopping after the current epoch (checkpoint kept)...");
    stop.set(true);
    try {
      done.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LockedTrainCommand()).execute(args));
  }
}
