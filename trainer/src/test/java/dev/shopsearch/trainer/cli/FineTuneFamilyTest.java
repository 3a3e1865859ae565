package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.tensor.FloatTensor;
import dev.shopsearch.core.tensor.Safetensors;
import dev.shopsearch.core.text.SiglipTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.clip.ClipParameters;
import dev.shopsearch.trainer.clip.Objective;
import dev.shopsearch.trainer.export.ParityCheck;
import dev.shopsearch.trainer.hf.ChineseClipImportTest;
import dev.shopsearch.trainer.hf.HfClipCheckpoint;
import dev.shopsearch.trainer.hf.HfClipCheckpointTest;
import dev.shopsearch.trainer.hf.OpenClipImportTest;
import dev.shopsearch.trainer.hf.SiglipImportTest;
import dev.shopsearch.trainer.train.CheckpointStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code fine-tune --from} a tiny random checkpoint of every imported family (written by the import
 * tests' writers, with a vocabulary that covers the tiny catalog's words), with each loss: the
 * training loss falls, the bundle passes the DJL vs ONNX parity check (also when the written {@code
 * weights/} are read back), and every tensor of both towers moved. A SigLIP trains with the sigmoid
 * loss by default, through its own logit scale and bias.
 */
class FineTuneFamilyTest {

  @TempDir static Path shared;
  @TempDir Path dir;

  static Path catalog;

  @BeforeAll
  static void catalog() throws IOException {
    catalog = TrainerCliTest.writeJsonl(shared, TinyCatalog.write(shared, 4));
  }

  /** The catalog's words. */
  private static List<String> words() {
    List<String> w = new ArrayList<>(TinyCatalog.COLOURS);
    w.addAll(TinyCatalog.PATTERNS);
    w.addAll(TinyCatalog.CATEGORIES);
    return w;
  }

  /** A checkpoint writer: the family's directory layout, returning the weights written. */
  interface Writer {
    ClipWeights write(Path dir) throws IOException;
  }

  static final Writer CLIP = d -> HfClipCheckpointTest.writeTinyCheckpoint(d, 5);

  static final Writer CHINESE_CLIP =
      d -> {
        List<String> vocab = new ArrayList<>(ChineseClipImportTest.VOCAB);
        words().stream().filter(w -> !vocab.contains(w)).forEach(vocab::add);
        return ChineseClipImportTest.writeTinyChineseClip(d, 5, vocab, 32);
      };

  static final Writer SIGLIP =
      d -> {
        List<SiglipTokenizerJson.Piece> pieces = new ArrayList<>();
        words()
            .forEach(
                w -> pieces.add(new SiglipTokenizerJson.Piece(SiglipTokenizerJson.SPACE + w, -2)));
        pieces.add(new SiglipTokenizerJson.Piece(SiglipTokenizerJson.SPACE, -4));
        return SiglipImportTest.writeTinySiglip(d, 5, pieces);
      };

  static final Writer OPEN_CLIP =
      d -> {
        ClipWeights w = OpenClipImportTest.tinyWeights(ClipConfig.Activation.GELU, 5);
        OpenClipImportTest.writeOpenClip(d, w, false, null, false);
        return w;
      };

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of("clip", CLIP, null, "INFONCE"),
        Arguments.of("clip", CLIP, "sigmoid", "SIGMOID"),
        Arguments.of("chinese_clip", CHINESE_CLIP, "infonce", "INFONCE"),
        Arguments.of("chinese_clip", CHINESE_CLIP, "sigmoid", "SIGMOID"),
        Arguments.of("siglip", SIGLIP, null, "SIGMOID"),
        Arguments.of("siglip", SIGLIP, "infonce", "INFONCE"),
        Arguments.of("open_clip", OPEN_CLIP, "infonce", "INFONCE"),
        Arguments.of("open_clip", OPEN_CLIP, "sigmoid", "SIGMOID"));
  }

  @ParameterizedTest(name = "{0} --loss {2}")
  @MethodSource("runs")
  void fineTunesExportsAndMovesBothTowers(
      String family, Writer writer, String loss, String expectedLoss) throws Exception {
    Path ck = dir.resolve("ck");
    ClipWeights initial = writer.write(ck);
    Path out = dir.resolve("run");
    List<String> args =
        new ArrayList<>(
            List.of(
                "fine-tune",
                "--catalog",
                catalog.toString(),
                "--mapping",
                "magentoLuma",
                "--from",
                ck.toString(),
                "--out",
                out.toString(),
                "--epochs",
                "4",
                "--batch",
                "12",
                "--lr",
                "3e-3",
                "--warmup",
                "2",
                "--val-fraction",
                "0.25",
                "--seed",
                "7",
                "--patience",
                "0",
                "--template",
                "{colour} {pattern} {category}"));
    if (loss != null) {
      args.addAll(List.of("--loss", loss));
    }
    TrainerCliTest.Run r = TrainerCliTest.cli(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();

    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.path("training").path("loss").asText()).isEqualTo(expectedLoss);
    JsonNode epochs = metrics.path("epochs");
    assertThat(epochs).hasSize(4);
    double first = epochs.get(0).path("trainLoss").asDouble();
    double lastLoss = epochs.get(3).path("trainLoss").asDouble();
    assertThat(lastLoss).as("train loss %s -> %s", first, lastLoss).isLessThan(first * 0.95);
    assertThat(metrics.path("parity").asText()).contains("max|diff|");

    ModelBundle bundle = ModelBundle.load(out.resolve("bundle"));
    bundle.verifyContentHash();
    assertThat(bundle.manifest().metadata().get("family"))
        .isEqualTo(family.equals("open_clip") ? "clip" : family);

    HfClipCheckpoint written = HfClipCheckpoint.load(out.resolve("weights"));
    assertThat(written.imageSpec())
        .usingRecursiveComparison()
        .isEqualTo(bundle.manifest().imageSpec());
    ClipWeights trained = written.weights();
    assertThat(trained.config()).isEqualTo(initial.config());
    try (NDManager m = NDManager.newBaseManager();
        ClipParameters p = ClipParameters.of(trained, m)) {
      ParityCheck.verify(bundle, p, 4, 99);
    }
    // the last epoch's parameters (the bundle holds the best epoch's, possibly the initial ones)
    Map<String, FloatTensor> last =
        Safetensors.readFloats(out.resolve("checkpoints").resolve(CheckpointStore.LAST));
    for (var e : initial.tensors().entrySet()) {
      if (e.getKey().startsWith("text_model.") || e.getKey().startsWith("vision_model.")) {
        assertThat(Arrays.equals(last.get("model." + e.getKey()).data(), e.getValue().data()))
            .as("%s unchanged by training", e.getKey())
            .isFalse();
      }
    }
    if (family.equals("siglip") && expectedLoss.equals("SIGMOID")) {
      // the sigmoid loss trained the checkpoint's own scale and bias (no separate ones)
      assertThat(last.get("model." + Objective.MODEL_BIAS).data()[0])
          .isNotEqualTo(initial.get(Objective.MODEL_BIAS).data()[0]);
      assertThat(last)
          .doesNotContainKey("model." + Objective.BIAS)
          .containsKey("model." + Objective.MODEL_BIAS);
    }
  }
}
