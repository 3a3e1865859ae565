package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.cli.CatalogOptions;
import dev.shopsearch.trainer.cli.TrainerCli;
import dev.shopsearch.trainer.cli.UsageException;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.CheckpointStore;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.StopSignal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench-locked}: the locked-tower quality benchmark. Splits a catalog by product id into
 * train / validation (the validation photos are the gallery) and carves a dev split out of train
 * for early stopping; computes (or reads from the cache) the frozen features; trains the heads;
 * scores the validation gallery before and after: caption↔image recall with the product name as the
 * caption, and attribute queries ({@link AttributeQueries}). Prints and writes {@code report.json}
 * and {@code report.md} ({@link BenchmarkReport}); optionally exports the bundle. A subcommand of
 * {@code trainer} ({@code trainer/bin/trainer bench-locked ...}).
 */
@Command(
    name = "bench-locked",
    mixinStandardHelpOptions = true,
    description = "Locked-tower quality benchmark: recall and attribute-query precision.")
public final class LockedBenchmark implements Callable<Integer> {

  /** The caption that queries the gallery: the product name alone. */
  static final String QUERY_TEMPLATE = LockedSplits.QUERY_TEMPLATE;

  @Mixin CatalogOptions catalog = new CatalogOptions();

  @Option(names = "--out", required = true, description = "Report directory.")
  Path out;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Also export the trained bundle here.")
  Path bundle;

  @Option(
      names = "--checkpoints",
      paramLabel = "DIR",
      description = "Per-epoch checkpoint directory (default: none).")
  Path checkpoints;

  @Option(
      names = "--val",
      defaultValue = "0.3",
      description = "Validation share of products, the gallery (default: ${DEFAULT-VALUE}).")
  double val;

  @Option(
      names = "--dev",
      defaultValue = "0.1",
      description = "Dev share of the training products (default: ${DEFAULT-VALUE}).")
  double dev;

  @Mixin LockedOptions opts = new LockedOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    long startNanos = System.nanoTime();
    Instant start = Instant.now();
    UsageException.requireIn("--val", val, 0, ExampleSet.MAX_VAL_FRACTION);
    UsageException.requireIn("--dev", dev, 0, ExampleSet.MAX_VAL_FRACTION);
    LockedTrainer.Config cfg = opts.trainer();
    opts.head();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    LockedSplits s =
        LockedSplits.read(
            catalog.catalog(), catalog.mapping(), opts.templates(), val, dev, opts.seed());
    t = lap(seconds, "catalog", t);
    FeatureCache featureCache = new FeatureCache(opts.cache(out));
    StopSignal stop = new StopSignal();
    try (StopSignal.ShutdownHook hook = stop.onShutdown(System.err::println);
        FrozenTowers towers = opts.towers();
        NDManager manager = NDManager.newBaseManager()) {
      t = lap(seconds, "towers", t);
      LockedTrainer trainer =
          new LockedTrainer(towers, featureCache, System.out::println).listen(stop);
      FeatureExtractor fx = trainer.extractor();
      Features train = fx.features(s.train(), opts.flips);
      Features devF = fx.features(s.dev());
      Features valF = fx.features(s.validation());
      List<Product> gallery = new ArrayList<>();
      for (int i : valF.index()) {
        gallery.add(s.products().get(s.validation().get(i).productId()));
      }
      AttributeQueries queries = AttributeQueries.of(gallery);
      float[][] queryFeatures = fx.texts(queries.texts());
      System.out.printf(
          Locale.ROOT,
          "features: train %d, dev %d, validation %d, skipped %d; cache hits %d, computed %d;"
              + " %d attribute queries%n",
          train.size(),
          devF.size(),
          valF.size(),
          train.skipped() + devF.skipped() + valF.skipped(),
          featureCache.hits(),
          featureCache.misses(),
          queries.queries().size());
      t = lap(seconds, "features", t);
      LockedHeads heads = new LockedHeads(opts.heads(towers), manager);
      BenchmarkReport.Scores before = score(valF, queries, queryFeatures, heads, manager);
      System.out.println("before: " + describe(before));
      LockedTrainer.Result result =
          trainer.train(
              train,
              devF,
              heads,
              cfg,
              checkpoints == null ? CheckpointStore.inMemory() : new CheckpointStore(checkpoints),
              false);
      if (result.interrupted()) {
        System.err.println("interrupted; no report written");
        return TrainerCli.EXIT_INTERRUPTED;
      }
      t = lap(seconds, "training", t);
      BenchmarkReport.Scores after = score(valF, queries, queryFeatures, heads, manager);
      System.out.println("after: " + describe(after));
      t = lap(seconds, "evaluation", t);
      if (bundle != null) {
        LockedExporter.export(
            bundle,
            towers,
            heads,
            "locked-mobilenet-minilm",
            start.toString(),
            Map.of(
                "validationCaptionT2iR10", after.caption().t2i10(),
                "validationRecall", after.caption().toString(),
                "attributeQueries", after.attributes().toString()));
        lap(seconds, "export", t);
      }
      seconds.put("total", (System.nanoTime() - startNanos) / 1e9);
      BenchmarkReport report =
          new BenchmarkReport(
              List.copyOf(spec.commandLine().getParseResult().originalArgs()),
              Machine.describe(),
              start.truncatedTo(ChronoUnit.SECONDS).toString(),
              Map.of("train", train.size(), "dev", devF.size(), "validation", valF.size()),
              Map.of("hits", featureCache.hits(), "computed", featureCache.misses()),
              seconds,
              Machine.peakRssMb(),
              before,
              after,
              result.bestEpoch(),
              result.epochLoss(),
              result.heldOut().stream().map(Recall::r10).toList(),
              heads.config(),
              cfg);
      report.write(out);
      System.out.println(report.markdown());
      System.out.println("wrote " + out.resolve("report.json") + " and report.md");
    }
    return TrainerCli.EXIT_OK;
  }

  private static long lap(Map<String, Double> seconds, String phase, long since) {
    long now = System.nanoTime();
    seconds.put(phase, (now - since) / 1e9);
    return now;
  }

  private static String describe(BenchmarkReport.Scores s) {
    return s.caption() + "; attributes " + s.attributes() + "; " + s.attributes10();
  }

  /** Validation scores of {@code heads}: name-caption recall and attribute queries. */
  static BenchmarkReport.Scores score(
      Features val,
      AttributeQueries queries,
      float[][] queryFeatures,
      LockedHeads heads,
      NDManager manager) {
    float[][] images = LockedTrainer.embed(val.image(), heads, manager, true);
    float[][] captions = LockedTrainer.embed(val.firstCaptions(), heads, manager, false);
    Recall recall = Recall.compute(images, captions, val.groups());
    float[][] q = LockedTrainer.embed(queryFeatures, heads, manager, false);
    return new BenchmarkReport.Scores(
        recall, queries.score(q, images, 10, 1), queries.score(q, images, 10, 10));
  }
}
