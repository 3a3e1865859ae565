package dev.shopsearch.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.trainer.train.ClipTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Helpers shared by the subcommands. */
final class CliSupport {

  private CliSupport() {}

  /** Progress lines to stderr. */
  static final Consumer<String> LOG = line -> System.err.println(line);

  /**
   * A field mapping: {@code auto} (detected), a preset ({@code magentoLuma}, {@code myntra}) or a
   * mapping file.
   */
  static FieldMapping mapping(String spec, Path catalog) throws IOException {
    try {
      return FieldMapping.resolve(spec, catalog);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--mapping: " + e.getMessage(), e);
    }
  }

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
      default ->
          throw new IllegalArgumentException(
              "--init must be tiny, small, base or vit-b-32; was " + name);
    };
  }

  /**
   * Installs a shutdown hook that asks the trainer to stop after its current step and waits (up to
   * a minute) until the run has returned, so Ctrl-C never interrupts a checkpoint write.
   */
  static final class StopOnSignal implements Consumer<ClipTrainer>, AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile ClipTrainer trainer;
    private final Thread hook =
        new Thread(
            () -> {
              ClipTrainer t = trainer;
              if (t != null && done.getCount() > 0) {
                System.err.println("stopping after the current step (checkpoint kept)...");
                t.requestStop();
                try {
                  done.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            "trainer-stop");

    StopOnSignal() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void accept(ClipTrainer t) {
      trainer = t;
    }

    @Override
    public void close() {
      done.countDown();
    }
  }
}
