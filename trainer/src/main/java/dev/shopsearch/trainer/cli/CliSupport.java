package dev.shopsearch.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.tooling.onnx.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Helpers shared by the subcommands. */
final class CliSupport {

  private CliSupport() {}

  /** Progress lines to stderr. */
  static final Consumer<String> LOG = line -> System.err.println(line);

  /** Vocabulary size of a tokenizer.json: 1 + the largest id it defines. */
  static int vocabSize(Path tokenizerJson) throws IOException {
    JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
    long max = -1;
    for (JsonNode t : root.path("added_tokens")) {
      max = Math.max(max, t.path("id").asLong());
    }
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asLong());
      }
    } else if (vocab.isArray()) {
      max = Math.max(max, vocab.size() - 1);
    }
    if (max < 1) {
      throw new IllegalArgumentException(tokenizerJson + " defines no vocabulary");
    }
    return (int) max + 1;
  }

  /**
   * A random-initialisation preset: {@code tiny} (32 px, width 64, 2+2 blocks), {@code small} (64
   * px / 8 px patches, width 128, 4+4 blocks, dim 128), {@code base} (224 px / 32 px patches, width
   * 256, 6+6 blocks, dim 256) or {@code vit-b-32} (OpenAI ViT-B/32 shape).
   */
  static ClipConfig preset(String name, int vocab, int context) {
    checkPreset(name);
    return switch (name) {
      case "tiny" -> ClipConfig.tiny(vocab);
      case "small" ->
          new ClipConfig(
              new ClipConfig.TextTower(vocab, context, 128, 4, 4),
              new ClipConfig.ImageTower(64, 8, 128, 4, 4),
              128,
              ClipConfig.Activation.QUICK_GELU,
              1e-5f);
      case "base" ->
          new ClipConfig(
              new ClipConfig.TextTower(vocab, context, 256, 6, 8),
              new ClipConfig.ImageTower(224, 32, 256, 6, 8),
              256,
              ClipConfig.Activation.QUICK_GELU,
              1e-5f);
      case "vit-b-32" -> {
        ClipConfig b = ClipConfig.vitB32();
        yield new ClipConfig(
            new ClipConfig.TextTower(vocab, context, 512, 12, 8),
            b.image(),
            b.embedDim(),
            b.activation(),
            b.layerNormEps());
      }
      default -> throw new IllegalStateException("unreachable: " + name);
    };
  }

  /** The names {@link #preset} accepts. */
  static final List<String> PRESETS = List.of("tiny", "small", "base", "vit-b-32");

  /**
   * Checks a {@code --init} preset name before anything is read.
   *
   * @throws UsageException unless one of {@link #PRESETS}
   */
  static void checkPreset(String name) {
    if (!PRESETS.contains(name)) {
      throw new UsageException("--init must be tiny, small, base or vit-b-32; --init=" + name);
    }
  }
}
