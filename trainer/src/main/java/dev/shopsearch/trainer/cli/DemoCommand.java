package dev.shopsearch.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.text.WordLevelTokenizerJson;
import dev.shopsearch.tooling.demo.DemoCaptionCorpus;
import dev.shopsearch.tooling.demo.DemoCatalogGenerator;
import dev.shopsearch.tooling.demo.DemoProduct;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.FineTune;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.ExampleSet;
import dev.shopsearch.trainer.eval.RetrievalEval;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.StopSignal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trainer demo}: the self-contained demo model (issue 6). Generates the synthetic demo
 * catalog when missing, builds the bilingual word-level tokenizer from its caption corpus, trains a
 * small CLIP from scratch on the training split (held-out colour × pattern × category combinations
 * are never seen), exports the bundle and measures caption→photo R@10 in English and Chinese on the
 * held-out combinations through the exported ONNX bundle.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Train the demo CLIP on the synthetic demo catalog and export its bundle.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--catalog-dir", description = "demo catalog dir (generated when missing)")
  Path catalogDir = Path.of("target/demo-catalog");

  @Option(names = "--products", description = "products to generate (default ${DEFAULT-VALUE})")
  int products = DemoCatalogGenerator.DEFAULT_PRODUCTS;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(names = "--image-size", description = "image side (default ${DEFAULT-VALUE})")
  int imageSize = 64;

  @Option(names = "--patch", description = "patch side (default ${DEFAULT-VALUE})")
  int patch = 8;

  @Option(names = "--width", description = "transformer width (default ${DEFAULT-VALUE})")
  int width = 128;

  @Option(names = "--layers", description = "blocks per tower (default ${DEFAULT-VALUE})")
  int layers = 3;

  @Option(names = "--dim", description = "embedding dimension (default ${DEFAULT-VALUE})")
  int dim = 128;

  @Mixin ResumeOptions resume = new ResumeOptions();

  @Mixin
  TrainOptions train =
      TrainOptions.withTemplates(List.of("{caption_en}", "{caption_zh}", "{name}"));

  @Override
  public Integer call() throws Exception {
    ClipTrainer.Config config = train.config();
    CaptionTemplates captions = train.captions();
    Path catalog = catalogDir.resolve(DemoCatalogGenerator.CATALOG_FILE);
    if (!Files.isRegularFile(catalog)) {
      System.err.println("generating demo catalog in " + catalogDir);
      DemoCatalogGenerator.generate(catalogDir, products, DemoCatalogGenerator.DEFAULT_SEED);
    }
    Files.createDirectories(out);
    Path tokenizer = out.resolve("tokenizer.json");
    Files.writeString(
        tokenizer,
        WordLevelTokenizerJson.build(DemoCaptionCorpus.allCaptions(), 1, 4096),
        StandardCharsets.UTF_8);
    int vocab = CliSupport.vocabSize(tokenizer);
    int heads = Math.max(1, width / 32);
    ClipConfig c =
        new ClipConfig(
            new ClipConfig.TextTower(vocab, 16, width, layers, heads),
            new ClipConfig.ImageTower(imageSize, patch, width, layers, heads),
            dim,
            ClipConfig.Activation.QUICK_GELU,
            1e-5f);
    FieldMapping mapping = FieldMapping.detect(catalog);
    FineTune.Options o =
        new FineTune.Options(
            catalog,
            mapping,
            tokenizer,
            16,
            true,
            ImageSpec.clip(imageSize),
            captions,
            "caption_en",
            0,
            -1,
            config,
            out,
            resume.resume(),
            "demo-clip",
            false);
    FineTune.Outcome r;
    StopSignal stop = new StopSignal();
    try (StopSignal.ShutdownHook hook = stop.onShutdown(CliSupport.LOG)) {
      r =
          FineTune.run(
              o, ClipWeights.random(c, train.seed()), CliSupport.LOG, stop, DemoCommand::heldOut);
    }
    if (r.bundle() == null) {
      return TrainerCli.EXIT_INTERRUPTED;
    }
    Map<String, Object> quality = new LinkedHashMap<>();
    Map<String, Integer> ignored = new LinkedHashMap<>();
    List<Product> all = FineTune.readCatalog(catalog, mapping, ignored, l -> {});
    for (String lang : List.of("en", "zh")) {
      ExampleSet held =
          ExampleSet.build(
              all,
              catalog.toAbsolutePath().getParent(),
              new CaptionTemplates(List.of("{caption_" + lang + "}")),
              "caption_en",
              (p, g) -> heldOut(p));
      Recall rec = RetrievalEval.run(r.bundle(), held.validation(), EncoderOptions.cpu());
      quality.put("heldOut_" + lang, rec);
      System.err.println("held-out combinations, " + lang + " captions (ONNX bundle): " + rec);
    }
    Files.writeString(
        out.resolve("demo-quality.json"),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(quality));
    long bytes;
    try (var files = Files.walk(r.bundle().dir())) {
      bytes = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
    System.err.printf(java.util.Locale.ROOT, "bundle %s: %.2f MB%n", r.bundle().dir(), bytes / 1e6);
    System.out.println(r.bundle().dir());
    return 0;
  }

  static boolean heldOut(Product p) {
    List<String> split = p.attributes().get("split");
    return split != null && split.contains(DemoProduct.SPLIT_HELDOUT);
  }
}
