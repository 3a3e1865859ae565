package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench-locked}: the locked-tower quality benchmark. Splits a catalog by product id into
 * train / validation (the validation photos are the gallery) and carves a dev split out of train
 * for early stopping; computes (or reads from the cache) the frozen features; trains the heads;
 * scores the validation gallery before and after: caption↔image recall with the product name as the
 * caption, and attribute queries ({@link AttributeQueries}). Prints and writes {@code report.json}
 * and {@code report.md} ({@link BenchmarkReport}); optionally exports the bundle. Launch with
 * {@code -Dai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}.
 */
@Command(
    name = "bench-locked",
    mixinStandardHelpOptions = true,
    description = "Locked-tower quality benchmark: recall and attribute-query precision.")
public final class LockedBenchmark implements Callable<Integer> {

  /** The caption that queries the gallery: the product name alone. */
  static final String QUERY_TEMPLATE = LockedSplits.QUERY_TEMPLATE;

  @Option(names = "--catalog", required = true, description = "catalog file (jsonl/csv/tsv)")
  Path catalog;

  @Option(
      names = "--mapping",
      defaultValue = "auto",
      description = "auto (default), magentoLuma, myntra, or a mapping file (.json/.properties)")
  String mapping;

  @Option(names = "--cache", required = true, description = "feature cache directory")
  Path cache;

  @Option(names = "--out", required = true, description = "report directory")
  Path out;

  @Option(names = "--bundle", description = "also export the trained bundle here")
  Path bundle;

  @Option(names = "--checkpoints", description = "per-epoch checkpoint directory")
  Path checkpoints;

  @Option(names = "--val", defaultValue = "0.3", description = "validation share of products")
  double val;

  @Option(names = "--dev", defaultValue = "0.1", description = "dev share of training products")
  double dev;

  @Mixin LockedOptions opts = new LockedOptions();

  private final List<String> args = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  @Override
  public Integer call() throws Exception {
    Instant start = Instant.now();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    LockedSplits s = LockedSplits.read(catalog, mapping, opts.templates, val, dev, opts.seed);
    t = lap(seconds, "catalog", t);
    FeatureCache featureCache = new FeatureCache(cache);
    try (FrozenTowers towers = opts.towers();
        NDManager manager = NDManager.newBaseManager()) {
      t = lap(seconds, "towers", t);
      LockedTrainer trainer = new LockedTrainer(towers, featureCache, System.out::println);
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
      LockedTrainer.Config cfg = opts.trainer(checkpoints);
      LockedTrainer.Result result = trainer.train(train, devF, heads, cfg);
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
              List.copyOf(args),
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
    return 0;
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

  public static void main(String[] argv) {
    LockedBenchmark bench = new LockedBenchmark();
    bench.args.addAll(List.of(argv));
    System.exit(new CommandLine(bench).execute(argv));
  }
}
