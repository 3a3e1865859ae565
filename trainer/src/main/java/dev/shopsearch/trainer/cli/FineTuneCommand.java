package dev.shopsearch.trainer.cli;

import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.FineTune;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.data.CaptionTemplates;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.HfFamily;
import dev.shopsearch.trainer.hf.ImportableCheckpoint;
import dev.shopsearch.trainer.hf.OpenClipCheckpoint;
import dev.shopsearch.trainer.train.ClipTrainer;
import dev.shopsearch.trainer.train.StopSignal;
import java.io.IOException;
import java.nio.file.Files;
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
    description =
        "Train a CLIP, Chinese-CLIP, SigLIP or open_clip dual encoder on a catalog's"
            + " photo/caption pairs and export a bundle.")
final class FineTuneCommand implements Callable<Integer> {

  @Mixin CatalogOptions catalog = new CatalogOptions();

  static final class Start {
    @Option(
        names = "--from",
        description =
            "checkpoint dir of any family import-hf reads: Hugging Face CLIP, Chinese-CLIP,"
                + " SigLIP (config.json, model.safetensors, tokenizer.json or a Chinese-CLIP"
                + " vocab.txt) or open_clip (open_clip_config.json, open_clip_model.safetensors,"
                + " tokenizer.json), e.g. an earlier run's weights/")
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
      fallbackValue = "true",
      description =
          "lower-case captions and queries (default true; false for Chinese-CLIP, whose WordPiece"
              + " normaliser lower-cases)")
  Boolean lowercase;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Mixin ResumeOptions resume = new ResumeOptions();

  @Option(names = "--name", description = "bundle name (default ${DEFAULT-VALUE})")
  String name = "clip-finetuned";

  @Mixin TrainOptions train = new TrainOptions();

  @Option(
      names = "--bpe",
      description =
          "open_clip --from only: OpenAI CLIP BPE merges (bpe_simple_vocab_16e6.txt.gz) for a"
              + " directory with neither tokenizer.json nor that file")
  Path bpe;

  /**
   * The starting checkpoint of {@code --from}, any family {@code import-hf} reads.
   *
   * @throws UsageException naming the model type or open_clip setting that is not supported
   */
  private ImportableCheckpoint checkpoint(Path dir) throws IOException {
    try {
      HfFamily family = HfFamily.detect(dir);
      family.requireImportable();
      return family == HfFamily.OPEN_CLIP
          ? OpenClipCheckpoint.load(dir, bpe)
          : HfClipCheckpoint.load(dir);
    } catch (HfFamily.UnsupportedFamilyException e) {
      throw new UsageException("--from " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Integer call() throws Exception {
    // Option values first: a usage error never waits for a file to be read.
    ClipTrainer.Config config = train.config();
    CaptionTemplates captions = train.captions();
    double valFraction = train.valFraction();
    ClipWeights init;
    Path tok = tokenizer;
    ImportableCheckpoint source = null;
    Path generated = null;
    if (start.from != null) {
      source = checkpoint(start.from);
      init = source.weights();
      if (train.loss == null && init.config().isSiglip()) {
        config = train.config(Objective.Kind.SIGMOID);
      }
    } else {
      CliSupport.checkPreset(start.init);
      if (tok == null) {
        throw new UsageException("--init needs --tokenizer");
      }
      ClipConfig c = CliSupport.preset(start.init, CliSupport.vocabSize(tok), context);
      init = ClipWeights.random(c, train.seed());
    }
    ClipConfig c = init.config();
    int len =
        maxLength != null
            ? maxLength
            : source != null ? source.defaultMaxLength() : Math.min(77, c.text().contextLength());
    // A Chinese-CLIP's WordPiece normaliser lower-cases by itself (as import-hf decides).
    boolean lower = lowercase != null ? lowercase : !c.bertText();
    ImageSpec image = source != null ? source.imageSpec() : ImageSpec.clip(c.image().imageSize());
    if (tok == null) {
      // the --from checkpoint's tokenizer as tokenizer.json (a Chinese-CLIP vocab.txt converted)
      generated = Files.createTempFile("fine-tune-", "-tokenizer.json");
      tok = generated;
      Files.write(tok, source.tokenizerJson(len));
    }
    FineTune.Options o =
        new FineTune.Options(
            catalog.catalog(),
            catalog.mapping(),
            tok,
            len,
            lower,
            image,
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
    } finally {
      if (generated != null) {
        Files.deleteIfExists(generated);
      }
    }
    if (r.bundle() == null) {
      System.err.println("interrupted; rerun with --resume to continue");
      return TrainerCli.EXIT_INTERRUPTED;
    }
    System.out.println(r.bundle().dir());
    return 0;
  }
}
