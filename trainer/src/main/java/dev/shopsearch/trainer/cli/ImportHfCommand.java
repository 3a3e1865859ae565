package dev.shopsearch.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.export.ClipBundleExport;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.HfFamily;
import dev.shopsearch.trainer.hf.ImportableCheckpoint;
import dev.shopsearch.trainer.hf.OpenClipCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code trainer import-hf DIR}: a Hugging Face checkpoint → bundle, no training. The family comes
 * from {@code config.json}'s {@code model_type} ({@link HfFamily}); an unknown one, or a recognised
 * family whose towers do not import yet, is a usage error ({@link TrainerCli#EXIT_USAGE}) with one
 * line naming the {@code model_type} and what is supported or missing. An open_clip directory
 * ({@link OpenClipCheckpoint}) is imported as CLIP; a setting that does not map onto CLIP is a
 * usage error naming it.
 */
@Command(
    name = "import-hf",
    mixinStandardHelpOptions = true,
    description =
        "Convert a Hugging Face CLIPModel checkpoint (config.json, model.safetensors,"
            + " tokenizer.json) into a bundle, checked against ONNX Runtime. The family comes"
            + " from config.json model_type: clip, chinese_clip (tokenizer.json or vocab.txt)"
            + " and siglip (tokenizer.json; preprocessor_config.json) import. A directory"
            + " without config.json but with open_clip_config.json and"
            + " open_clip_model.safetensors is an open_clip checkpoint: imported as CLIP when its"
            + " towers are CLIP's (exit 64 naming the setting otherwise).")
final class ImportHfCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "checkpoint directory")
  Path dir;

  @Option(names = "--out", required = true, description = "bundle directory to write")
  Path out;

  @Option(names = "--name", description = "bundle name (default: the directory name)")
  String name;

  @Option(
      names = "--max-length",
      description =
          "token limit (default: the context length, CLIP 77, SigLIP 64; Chinese-CLIP: 52)")
  Integer maxLength;

  @Option(
      names = "--bpe",
      description =
          "open_clip only: OpenAI CLIP BPE merges (bpe_simple_vocab_16e6.txt.gz, e.g."
              + " ../shared/tokenizers/clip/) for a directory with neither tokenizer.json nor"
              + " that file")
  Path bpe;

  @Override
  public Integer call() throws Exception {
    HfFamily family;
    try {
      family = HfFamily.detect(dir);
      family.requireImportable();
    } catch (HfFamily.UnsupportedFamilyException e) {
      throw new UsageException(e.getMessage(), e);
    }
    ImportableCheckpoint ck;
    try {
      ck =
          family == HfFamily.OPEN_CLIP
              ? OpenClipCheckpoint.load(dir, bpe)
              : HfClipCheckpoint.load(dir);
    } catch (HfFamily.UnsupportedFamilyException e) {
      throw new UsageException(e.getMessage(), e);
    }
    var c = ck.weights().config();
    int limit = maxLength != null ? maxLength : ck.defaultMaxLength();
    // The WordPiece normaliser of a Chinese-CLIP tokenizer.json lower-cases by itself; CLIP and
    // SigLIP (whose SiglipTokenizer lower-cases before SentencePiece) get lower-cased queries.
    boolean lowercase = !c.bertText();
    Path tokenizer = Files.createTempFile("import-hf-", "-tokenizer.json");
    try (NDManager m = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(ck.weights(), m)) {
      Files.write(tokenizer, ck.tokenizerJson(limit));
      ModelBundle b =
          ClipBundleExport.export(
              out,
              p,
              new ClipBundleExport.Options(
                  name != null ? name : dir.toAbsolutePath().getFileName().toString(),
                  "imported",
                  tokenizer,
                  new TextSpec("tokenizer.json", limit, lowercase),
                  ck.imageSpec(),
                  Map.of("source", dir.toAbsolutePath().toString(), "family", family.modelType())),
              CliSupport.LOG);
      System.out.println(b.dir());
    } finally {
      Files.deleteIfExists(tokenizer);
    }
    return 0;
  }
}
