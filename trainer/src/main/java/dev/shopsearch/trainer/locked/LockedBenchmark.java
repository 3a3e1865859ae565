package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.train.Recall;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
  static final String QUERY_TEMPLATE = "{name}";

  @Option(names = "--catalog", required = true, description = "catalog file (jsonl/csv/tsv)")
  Path catalog;

  @Option(names = "--mapping", description = "field mapping file (default: detect)")
  Path mapping;

  @Option(
      names = "--mobilenet",
      defaultValue = "../shared/models/mobilenetv2-12-int8.onnx",
      description = "MobileNetV2 ONNX (default: ${DEFAULT-VALUE})")
  Path mobilenet;

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

  private final List<String> args = new ArrayList<>();
  private final long startNanos = System.nanoTime();

  @Override
  public Integer call() throws Exception {
    Instant start = Instant.now();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t = System.nanoTime();
    FieldMapping m = mapping != null ? FieldMapping.load(mapping) : FieldMapping.detect(catalog);
    AtomicLong rejects = new AtomicLong();
    List<Product> products;
    try (CatalogReader reader = CatalogReader.open(catalog, m)) {
      products = reader.products(r -> rejects.incrementAndGet()).toList();
    }
    Splits s = Splits.of(products, catalog.toAbsolutePath().getParent(), templates, val, dev, seed);
    System.out.printf(
        Locale.ROOT,
        "catalog: %d products, %d rejects; train %d, dev %d, validation %d examples%n",
        products.size(),
        rejects.get(),
        s.train().size(),
        s.dev().size(),
        s.validation().size());
    t = lap(seconds, "catalog", t);
    FeatureCache featureCache = new FeatureCache(cache);
    try (FrozenTowers towers =
            FrozenTowers.load(
                mobilenet, colourGrid, midChannels.stream().mapToInt(Integer::intValue).toArray());
        NDManager manager = NDManager.newBaseManager()) {
      t = lap(seconds, "towers", t);
      LockedTrainer trainer = new LockedTrainer(towers, featureCache, System.out::println);
      FeatureExtractor fx = trainer.extractor();
      Features train = fx.features(s.train(), flips);
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
      Head kind = Head.valueOf(head.toUpperCase(Locale.ROOT));
      LockedHeads heads =
          new LockedHeads(
              new LockedHeads.Config(
                  towers.imageWidth(),
                  towers.textWidth(),
                  dim,
                  kind == Head.LINEAR ? 0 : hidden,
                  temperature,
                  seed,
                  dropout,
                  kind == Head.RESIDUAL),
              manager);
      BenchmarkReport.Scores before = score(valF, queries, queryFeatures, heads, manager);
      System.out.println("before: " + describe(before));
      LockedTrainer.Config cfg =
          new LockedTrainer.Config(
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

  /**
   * The benchmark's three splits, by product id: validation ({@code valShare} of products, seed
   * {@code seed}), dev ({@code devShare} of the remaining products, seed {@code seed + 1}) and
   * train. Train examples carry the training templates' captions; dev and validation carry the
   * product name only ({@link #QUERY_TEMPLATE}).
   */
  record Splits(
      List<Example> train,
      List<Example> dev,
      List<Example> validation,
      Map<String, Product> products) {

    static Splits of(
        List<Product> products,
        Path catalogDir,
        List<String> templates,
        double valShare,
        double devShare,
        long seed) {
      CaptionTemplates trainCaptions = new CaptionTemplates(templates);
      CaptionTemplates nameOnly = new CaptionTemplates(List.of(QUERY_TEMPLATE));
      // The split depends only on the product id and the seed, so both builds agree on it.
      ExampleSet named = ExampleSet.build(products, catalogDir, nameOnly, null, valShare, seed);
      ExampleSet captioned =
          ExampleSet.build(products, catalogDir, trainCaptions, null, valShare, seed);
      Set<String> held = new HashSet<>();
      named.validation().forEach(e -> held.add(e.productId()));
      captioned.validation().forEach(e -> held.add(e.productId()));
      List<Product> rest = products.stream().filter(p -> !held.contains(p.id())).toList();
      ExampleSet devNamed = ExampleSet.build(rest, catalogDir, nameOnly, null, devShare, seed + 1);
      ExampleSet devCaptioned =
          ExampleSet.build(rest, catalogDir, trainCaptions, null, devShare, seed + 1);
      Map<String, Product> byId = new HashMap<>();
      products.forEach(p -> byId.put(p.id(), p));
      return new Splits(
          devCaptioned.train(), devNamed.validation(), named.validation(), Map.copyOf(byId));
    }
  }

  public static void main(String[] argv) {
    LockedBenchmark bench = new LockedBenchmark();
    bench.args.addAll(List.of(argv));
    System.exit(new CommandLine(bench).execute(argv));
  }
}
