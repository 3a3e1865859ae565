package dev.shopsearch.trainer.export;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.HfClipLayout;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.onnx.ClipConfig;
import dev.shopsearch.core.onnx.ClipGraphWriter;
import dev.shopsearch.core.onnx.ClipWeights;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
      boolean includeWeights,
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
    if (o.imageSpec().size() != c.image().imageSize()) {
      throw new IllegalArgumentException(
          "image spec size "
              + o.imageSpec().size()
              + " != model image size "
              + c.image().imageSize());
    }
    if (o.textSpec().maxLength() > c.text().contextLength()) {
      throw new IllegalArgumentException(
          "text maxLength "
              + o.textSpec().maxLength()
              + " exceeds the model's context length "
              + c.text().contextLength());
    }
    ClipWeights forGraph = graphWeights.apply(weights);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(HfClipLayout.TEXT_FILE, ClipGraphWriter.textTower(c, forGraph));
    files.put(HfClipLayout.IMAGE_FILE, ClipGraphWriter.imageTower(c, forGraph));
    files.put(HfClipLayout.TOKENIZER_FILE, Files.readAllBytes(o.tokenizerJson()));
    Path abs = dir.toAbsolutePath().normalize();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempDirectory(abs.getParent(), abs.getFileName() + ".tmp-");
    try {
      if (o.includeWeights()) {
        files.put("config.json", HfClipCheckpoint.configJson(c).getBytes(StandardCharsets.UTF_8));
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        weights.tensors().forEach((k, v) -> t.put(k, new FloatTensor(v.longShape(), v.data())));
        Path st = tmp.resolve("model.safetensors.staging");
        Safetensors.writeFloats(st, t, Map.of("format", "pt"));
        files.put("model.safetensors", Files.readAllBytes(st));
        Files.delete(st);
      }
      TextSpec ts =
          new TextSpec(
              HfClipLayout.TOKENIZER_FILE, o.textSpec().maxLength(), o.textSpec().lowercase());
      BundleManifest manifest =
          new BundleManifest(
              o.name(),
              o.version(),
              null,
              c.embedDim(),
              Similarity.COSINE,
              HfClipLayout.textTower(),
              HfClipLayout.imageTower(),
              ts,
              o.imageSpec(),
              o.metadata());
      ModelBundle staged = ModelBundle.write(tmp, manifest, files);
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
