package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.train.CheckpointStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trainer train-locked} end to end on a tiny catalog, then {@code --resume} of the run. */
@org.junit.jupiter.api.Tag("slow")
class TrainLockedCommandTest {

  @TempDir Path dir;

  @Test
  void trainsExportsAndResumesFromItsCheckpoint() throws Exception {
    Path mobilenet = SharedData.require("models/mobilenetv2-12-int8.onnx");
    List<Product> products = TinyCatalog.write(dir, 6);
    Path catalog = TrainerCliTest.writeJsonl(dir, products);
    String[] common = {
      "train-locked",
      "--catalog",
      catalog.toString(),
      "--mapping",
      "magentoLuma",
      "--mobilenet",
      mobilenet.toString(),
      "--template",
      "{name}|{colour} {category}",
      "--val",
      "0.2",
      "--dev",
      "0.2",
      "--dim",
      "16",
      "--hidden",
      "32",
      "--batch",
      "16",
      "--epochs",
      "4",
      "--patience",
      "0",
      "--colour-grid",
      "2",
      "--flips",
      "false",
      "--checkpoints",
      dir.resolve("ckpt").toString()
    };
    Path out = dir.resolve("bundle");
    assertThat(TrainerCli.execute(concat(common, "--out", out.toString()))).isZero();

    ModelBundle bundle = ModelBundle.load(out);
    assertThat(bundle.manifest().dim()).isEqualTo(16);
    assertThat(bundle.manifest().metadata()).containsKeys("validationR10", "bestDevEpoch", "heads");
    CheckpointStore checkpoints = new CheckpointStore(dir.resolve("ckpt"));
    assertThat(checkpoints.state().orElseThrow().completedEpochs()).isEqualTo(4);
    // The features were cached next to the bundle and are reused by a second run.
    assertThat(dir.resolve("bundle.features")).isDirectory();

    // --resume of a finished run trains nothing more and exports the same heads again.
    Path again = dir.resolve("bundle2");
    assertThat(TrainerCli.execute(concat(common, "--out", again.toString(), "--resume"))).isZero();
    assertThat(again.resolve("image.onnx")).hasSameBinaryContentAs(out.resolve("image.onnx"));
    assertThat(again.resolve("text.onnx")).hasSameBinaryContentAs(out.resolve("text.onnx"));

    // The locked towers' graphs (int8 MobileNetV2 with contrib ops, quantised MiniLM) take the
    // int8 weight pass on their float heads and stay within the fidelity limit.
    Path int8 = dir.resolve("bundle-int8");
    assertThat(
            TrainerCli.execute(
                "quantize", out.toString(), "--out", int8.toString(), "--min-weights", "512"))
        .isZero();
    assertThat(ModelBundle.load(int8).manifest().quantizedFrom())
        .contains(bundle.manifest().contentHash());
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
