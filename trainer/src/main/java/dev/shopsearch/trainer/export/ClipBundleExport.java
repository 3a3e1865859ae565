package dev.shopsearch.trainer.export;

import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.clip.ClipParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Exports a DJL CLIP model as a model bundle and checks it: the towers are written by core's {@link
 * ClipGraphWriter} in the {@link HfClipLayout} layout ({@code text.onnx}, {@code image.onnx},
 * projected outputs, pooling {@code NONE}); the bundle also carries {@code tokenizer.json} and,
 * optionally, the weights as a Hugging Face checkpoint ({@code config.json} + {@code
 * model.safetensors}) so that it can be fine-tuned again. The bundle is built in a temporary
 * sibling directory, checked with {@link ParityCheck}, and only then moved to its place; a failed
 * check deletes it and throws.
 */
public final class ClipBundleExport {

  private ClipBundleExport() {}

  /** What to write. */
  public record Options(
      String name,
      String version,
      Path tokenizerJson,
      TextSpec textSpec,
      ImageSpec imageSpec,
      Map<String, Object> metadata) {}

  /**
   * Exports and verifies.
   *
   * @param dir target bundle directory (replaced if it exists)
   * @throws ParityCheck.ParityException if ONNX Runtime does not reproduce the DJL model
   */
  public static ModelBundle export(Path dir, ClipParameters params, Options o, Consumer<String> log)
      throws IOException {
    return export(dir, params, o, log, w -> w);
  }

  /**
   * As {@link #export(Path, ClipParameters, Options, Consumer)}, with a hook that may alter the
   * weights given to the graph writer (tests use it to corrupt an export on purpose).
   */
  static ModelBundle export(
      Path dir,
      ClipParameters params,
      Options o,
      Consumer<String> log,
      java.util.function.UnaryOperator<ClipWeights> graphWeights)
      throws IOException {
    ClipWeights weights = params.toWeights();
    ClipConfig c = weights.config();
    ClipWeights forGraph = graphWeights.apply(weights);
    Path abs = dir.toAbsolutePath().normalize();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempDirectory(abs.getParent(), abs.getFileName() + ".tmp-");
    try {
      TextSpec ts =
          new TextSpec(
              HfClipLayout.TOKENIZER_FILE, o.textSpec().maxLength(), o.textSpec().lowercase());
      ModelBundle staged =
          ClipBundleExporter.export(
              tmp,
              c,
              forGraph,
              Files.readAllBytes(o.tokenizerJson()),
              o.name(),
              o.version(),
              o.metadata(),
              ts,
              o.imageSpec());
      ParityCheck.Report r = ParityCheck.verify(staged, params, 4, 1234);
      log.accept("parity DJL vs ONNX Runtime: " + r.summary());
      deleteTree(abs);
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      return ModelBundle.load(abs);
    } finally {
      deleteTree(tmp);
    }
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              f -> {
                try {
                  Files.delete(f);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
