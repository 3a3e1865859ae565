package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.text.ClipBpeTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.FineTune;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.data.Example;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.EpochStats;
import dev.shopsearch.trainer.train.Recall;
import dev.shopsearch.trainer.train.StopSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code trainer bench}: the CLIP-family benchmark — a small CLIP trained from scratch on a catalog
 * (default ../shared/datasets/magento-luma) with CLIP's BPE tokenizer; prints the loss curve,
 * validation R@10 against chance and training samples/s.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    defaultValueProvider = BenchCommand.Defaults.class,
    description = "Train a small CLIP from scratch on a catalog and report loss, R@10 vs chance.")
final class BenchCommand implements Callable<Integer> {

  /** {@code --catalog} defaults to the shared magento-luma catalog. */
  static final class Defaults implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
      return arg instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--catalog")
          ? "../shared/datasets/magento-luma/catalog.jsonl"
          : null;
    }
  }

  @Mixin CatalogOptions catalog = new CatalogOptions();

  @Option(names = "--bpe", description = "CLIP BPE merges (default ${DEFAULT-VALUE})")
  Path bpe = Path.of("../shared/tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");

  @Option(names = "--init", description = "preset: tiny, small, base (default ${DEFAULT-VALUE})")
  String init = "small";

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Mixin TrainOptions train = new TrainOptions();

  @Override
  public Integer call() throws Exception {
    ClipTrainer.Config config = train.config();
    CaptionTemplates captions = train.captions();
    double valFraction = train.valFraction();
    CliSupport.checkPreset(init);
    Files.createDirectories(out);
    Path tokenizer = out.resolve("tokenizer.json");
    ClipBpeTokenizerJson.write(bpe, tokenizer, 32);
    ClipConfig c = CliSupport.preset(init, ClipBpeTokenizerJson.VOCAB_SIZE, 32);
    FineTune.Options o =
        new FineTune.Options(
            catalog.catalog(),
            catalog.mapping(),
            tokenizer,
            32,
            true,
            ImageSpec.clip(c.image().imageSize()),
            captions,
            train.groupBy,
            valFraction,
            train.freezeLast,
            config,
            out,
            false,
            "bench-" + init,
            false);
    long t0 = System.nanoTime();
    FineTune.Outcome r;
    StopSignal stop = new StopSignal();
    try (StopSignal.ShutdownHook hook = stop.onShutdown(CliSupport.LOG)) {
      r = FineTune.run(o, ClipWeights.random(c, train.seed()), CliSupport.LOG, stop);
    }
    if (r.bundle() == null) {
      return TrainerCli.EXIT_INTERRUPTED;
    }
    List<EpochStats> h = r.result().state().history();
    double rate = h.stream().mapToDouble(EpochStats::samplesPerSecond).average().orElse(0);
    Recall before = r.result().state().before();
    Recall after = r.result().after();
    List<Example> val = r.data().validation();
    int n = Math.min(val.size(), train.maxVal);
    System.out.printf(
        Locale.ROOT,
        "bench %s on %s: %d train / %d val photos, %d epochs, %.1f min%n"
            + "  loss %.4f -> %.4f%n"
            + "  val R@10 t2i %.3f -> %.3f, i2t %.3f -> %.3f (chance ~%.3f)%n"
            + "  %.1f samples/s (training)%n",
        init,
        catalog.catalog(),
        r.data().train().size(),
        val.size(),
        h.size(),
        (System.nanoTime() - t0) / 6e10,
        h.get(0).trainLoss(),
        h.get(h.size() - 1).trainLoss(),
        before.t2i10(),
        after.t2i10(),
        before.i2t10(),
        after.i2t10(),
        chanceAt10(val.subList(0, n)),
        rate);
    return 0;
  }

  /** Expected R@10 of a random ranking: mean over queries of P(a same-group item in the top 10). */
  static double chanceAt10(List<Example> val) {
    Map<String, Integer> size = new HashMap<>();
    val.forEach(e -> size.merge(e.group(), 1, Integer::sum));
    int total = val.size();
    double sum = 0;
    for (Example e : val) {
      int k = size.get(e.group());
      double miss = 1;
      for (int i = 0; i < Math.min(10, total); i++) {
        miss *= (double) (total - k - i) / (total - i);
        if (miss <= 0) {
          miss = 0;
          break;
        }
      }
      sum += 1 - miss;
    }
    return total == 0 ? 0 : sum / total;
  }
}
