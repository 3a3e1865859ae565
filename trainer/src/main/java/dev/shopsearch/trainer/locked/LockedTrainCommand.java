package dev.shopsearch.trainer.locked;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.ExampleSet;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train-locked}: trains the locked-tower family on a catalog and writes a model bundle.
 * Launch with {@code -Dai.djl.offline=true} and {@code OPT_OUT_TRACKING=true}.
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

  @Option(names = "--mapping", description = "field mapping file (default: detect)")
  Path mapping;

  @Option(
      names = "--mobilenet",
      defaultValue = "../shared/models/mobilenetv2-12-int8.onnx",
      description = "MobileNetV2 ONNX (default: ${DEFAULT-VALUE})")
  Path mobilenet;

  @Option(names = "--out", required = true, description = "bundle directory to write")
  Path out;

  @Option(names = "--cache", description = "feature cache directory (default: OUT.features)")
  Path cache;

  @Option(names = "--dim", defaultValue = "256")
  int dim;

  @Option(names = "--hidden", defaultValue = "0", description = "MLP hidden width; 0 = linear")
  int hidden;

  @Option(names = "--epochs", defaultValue = "30")
  int epochs;

  @Option(names = "--batch", defaultValue = "64")
  int batch;

  @Option(names = "--lr", defaultValue = "1e-3")
  double lr;

  @Option(names = "--val", defaultValue = "0.1", description = "validation fraction of products")
  double val;

  @Option(names = "--group-attribute", description = "attribute grouping products into looks")
  String groupAttribute;

  @Option(names = "--seed", defaultValue = "42")
  long seed;

  @Option(names = "--name", defaultValue = "locked-mobilenet-minilm")
  String name;

  @Override
  public Integer call() throws Exception {
    Instant start = Instant.now();
    FieldMapping m = mapping != null ? FieldMapping.load(mapping) : FieldMapping.detect(catalog);
    AtomicLong rejects = new AtomicLong();
    List<Product> products;
    try (CatalogReader reader = CatalogReader.open(catalog, m)) {
      products = reader.products(r -> rejects.incrementAndGet()).toList();
    }
    Path catalogDir = catalog.toAbsolutePath().getParent();
    ExampleSet data =
        ExampleSet.build(
            products,
            catalogDir,
            new CaptionTemplates(CaptionTemplates.DEFAULTS),
            groupAttribute,
            val,
            seed);
    System.out.printf(
        Locale.ROOT,
        "catalog: %d products, %d rejects; %s%n",
        products.size(),
        rejects.get(),
        data);
    Path cacheDir = cache != null ? cache : out.resolveSibling(out.getFileName() + ".features");
    try (FrozenTowers towers = FrozenTowers.load(mobilenet);
        NDManager manager = NDManager.newBaseManager()) {
      LockedHeads heads =
          new LockedHeads(new LockedHeads.Config(1280, 384, dim, hidden, 0.07, seed), manager);
      LockedTrainer trainer =
          new LockedTrainer(towers, new FeatureCache(cacheDir), System.out::println);
      LockedTrainer.Result result =
          trainer.train(
              data, heads, new LockedTrainer.Config(epochs, batch, lr, 20, 0.01, 1.0, seed));
      ModelBundle bundle =
          LockedExporter.export(
              out,
              towers,
              heads,
              name,
              Instant.now().toString(),
              Map.of(
                  "validationR10", result.after().r10(),
                  "validationRecall", result.after().toString(),
                  "trainExamples", result.trainExamples()));
      System.out.printf(
          Locale.ROOT,
          "wrote %s (dim %d) in %ds%n",
          bundle.dir(),
          dim,
          Duration.between(start, Instant.now()).toSeconds());
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LockedTrainCommand()).execute(args));
  }
}
