package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.FineTune;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.OpenClipConfig;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.StopSignal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trainer fine-tune}: catalog + starting point → new bundle. */
@Command(
    name = "fine-tune",
    mixinStandardHelpOptions = true,
    description = "Train a CLIP on a catalog's photo/caption pairs and export a bundle.")
final class FineTuneCommand implements Callable<Integer> {

  @Mixin CatalogOptions catalog = new CatalogOptions();

  static final class Start {
    @Option(
        names = "--from",
        description =
            "Hugging Face CLIP checkpoint dir (config.json, model.safetensors, tokenizer.json),"
                + " e.g. an earlier run's weights/ or an import-hf source")
    Path from;

    @Option(names = "--init", description = "random init preset: tiny, small, base, vit-b-32")
    String init;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Start start;

  @Option(
      names = "--tokenizer",
      description = "tokenizer.json (default: the --from dir's; required with --init)")
  Path tokenizer;

  @Option(names = "--max-length", description = "caption token limit (default: min(77, context))")
  Integer maxLength;

  @Option(names = "--context", description = "context length for --init (default ${DEFAULT-VALUE})")
  int context = 32;

  @Option(
      names = "--lowercase",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "lower-case captions and queries (default true)")
  boolean lowercase;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Mixin ResumeOptions resume = new ResumeOptions();

  @Option(names = "--name", description = "bundle name (default ${DEFAULT-VALUE})")
  String name = "clip-finetuned";

  @Mixin TrainOptions train = new TrainOptions();

  @Override
  public Integer call() throws Exception {
    // Option values first: a usage error never waits for a file to be read.
    ClipTrainer.Config config = train.config();
    CaptionTemplates captions = train.captions();
    double valFraction = train.valFraction();
    ClipWeights init;
    Path tok = tokenizer;
    if (start.from != null) {
      if (!java.nio.file.Files.exists(start.from.resolve("config.json"))
          && java.nio.file.Files.exists(start.from.resolve(OpenClipConfig.FILE))) {
        throw new UsageException(
            "--from "
                + start.from
                + " is an open_clip checkpoint; it imports (import-hf) but fine-tuning from the"
                + " open_clip layout is not supported yet (supported: Hugging Face CLIP checkpoints,"
                + " model_type clip)");
      }
      HfClipCheckpoint ck = HfClipCheckpoint.load(start.from);
      if (ck.weights().config().isSiglip()) {
        throw new UsageException(
            "--from "
                + start.from
                + " is a SigLIP checkpoint; it imports (import-hf) but fine-tuning its towers is"
                + " not supported yet (supported: CLIP checkpoints, model_type clip)");
      }
      if (ck.weights().config().bertText()) {
        throw new UsageException(
            "--from "
                + start.from
                + " is a Chinese-CLIP checkpoint; it imports (import-hf) but fine-tuning its BERT"
                + " text tower is not supported yet (supported: CLIP checkpoints, model_type clip)");
      }
      init = ck.weights();
      tok = tok == null ? ck.tokenizer() : tok;
    } else {
      CliSupport.checkPreset(start.init);
      if (tok == null) {
        throw new UsageException("--init needs --tokenizer");
      }
      ClipConfig c = CliSupport.preset(start.init, CliSupport.vocabSize(tok), context);
      init = ClipWeights.random(c, train.seed());
    }
    ClipConfig c = init.config();
    int len = maxLength != null ? maxLength : Math.min(77, c.text().contextLength());
    FineTune.Options o =
        new FineTune.Options(
            catalog.catalog(),
            catalog.mapping(),
            tok,
            len,
            lowercase,
            ImageSpec.clip(c.image().imageSize()),
            captions,
            train.groupBy,
            valFraction,
            train.freezeLast,
            config,
            out,
            resume.resume(),
            name,
            true);
    StopSignal stop = new StopSignal();
    FineTune.Outcome r;
    try (StopSignal.ShutdownHook hook = stop.onShutdown(CliSupport.LOG)) {
      r = FineTune.run(o, init, CliSupport.LOG, stop);
    }
    if (r.bundle() == null) {
      System.err.println("interrupted; rerun with --resume to continue");
      return TrainerCli.EXIT_INTERRUPTED;
    }
    System.out.println(r.bundle().dir());
    return 0;
  }
}
