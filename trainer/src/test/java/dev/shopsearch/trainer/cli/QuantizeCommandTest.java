package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantizeCommandTest {
  @TempDir Path dir;

  @Test
  void quantisesTheTextTowerAndPrintsTheSummary() throws Exception {
    ModelBundle source = TinyClipBundle.create(dir.resolve("fp32"), 9);
    Path out = dir.resolve("int8");
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      rc =
          TrainerCli.execute(
              "quantize", source.dir().toString(), "--out", out.toString(), "--towers", "text");
    } finally {
      System.setOut(original);
    }

    assertThat(rc).isEqualTo(0);
    JsonNode summary = new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8));
    ModelBundle q = ModelBundle.load(out);
    assertThat(summary.get("contentHash").asText()).isEqualTo(q.manifest().contentHash());
    assertThat(summary.get("text").get("quantizedMatMuls").asInt()).isEqualTo(8);
    assertThat(summary.get("text").get("minCosine").asDouble()).isGreaterThanOrEqualTo(0.99);
    assertThat(summary.has("image")).isFalse();
    assertThat(q.resolve("image.onnx")).hasSameBinaryContentAs(source.resolve("image.onnx"));
  }

  @Test
  void unknownTowerIsAUsageError() {
    ModelBundle source = TinyClipBundle.create(dir.resolve("fp32"), 9);
    int rc =
        TrainerCli.execute(
            "quantize",
            source.dir().toString(),
            "--out",
            dir.resolve("x").toString(),
            "--towers",
            "audio");
    assertThat(rc).isNotEqualTo(0);
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
