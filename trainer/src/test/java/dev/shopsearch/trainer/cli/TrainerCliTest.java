package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.hf.HfClipCheckpointTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCliTest {

  @TempDir Path dir;

  static Path writeJsonl(Path dir, List<Product> products) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    for (Product p : products) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("name", p.name());
      m.put("color", p.colour());
      m.put("categories", p.categories());
      m.put("pattern", p.attributes().get("pattern").get(0));
      m.put("images", p.images());
      lines.add(json.writeValueAsString(m));
    }
    lines.add(3, "{\"id\": \"broken\", \"name\": "); // malformed JSON: skipped and counted
    lines.add(5, "{\"name\": \"no id\", \"images\": [\"x.png\"]}"); // no id
    Path f = dir.resolve("catalog.jsonl");
    Files.write(f, lines, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void fineTuneFromRandomInitThenEvalTheBundle() throws IOException {
    List<Product> products = TinyCatalog.write(dir, 4);
    Path catalog = writeJsonl(dir, products);
    Path tok = TinyCatalog.tokenizer(dir);
    Path out = dir.resolve("run");
    int rc =
        TrainerCli.execute(
            "fine-tune",
            "--catalog",
            catalog.toString(),
            "--mapping",
            "magentoLuma",
            "--init",
            "tiny",
            "--tokenizer",
            tok.toString(),
            "--out",
            out.toString(),
            "--epochs",
            "2",
            "--batch",
            "12",
            "--lr",
            "2e-3",
            "--warmup",
            "2",
            "--val-fraction",
            "0.25",
            "--template",
            "{colour} {pattern} {category}");
    assertThat(rc).isZero();
    ModelBundle b = ModelBundle.load(out.resolve("bundle"));
    b.verifyContentHash();
    assertThat(b.manifest().metadata()).containsKeys("training", "metrics", "clip");
    for (String f : List.of("metrics.json", "loss.png", "val-recall.png", "report.html")) {
      assertThat(out.resolve(f)).isNotEmptyFile();
    }
    assertThat(out.resolve("weights/model.safetensors")).isRegularFile();
    JsonNode metrics = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.path("epochs")).hasSize(2);
    assertThat(metrics.path("parity").asText()).contains("max|diff|");
    assertThat(metrics.path("skipped").toString()).contains("catalog:");
    assertThat(metrics.path("skipped").properties().iterator().next().getValue().asInt() + 0)
        .isPositive();

    Path report = dir.resolve("eval.json");
    rc =
        TrainerCli.execute(
            "eval",
            "--bundle",
            b.dir().toString(),
            "--catalog",
            catalog.toString(),
            "--mapping",
            "magentoLuma",
            "--template",
            "{colour} {category}",
            "--report",
            report.toString());
    assertThat(rc).isZero();
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    assertThat(r.path("recall").path("n").asInt()).isEqualTo(2 * products.size());
    assertThat(r.path("recall").path("t2i10").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void importHfWritesACheckedBundle() throws IOException {
    Path ck = Files.createDirectories(dir.resolve("hf"));
    HfClipCheckpointTest.writeTinyCheckpoint(ck, 8);
    Path out = dir.resolve("bundle");
    int rc =
        TrainerCli.execute(
            "import-hf", ck.toString(), "--out", out.toString(), "--name", "tiny-hf");
    assertThat(rc).isZero();
    ModelBundle b = ModelBundle.load(out);
    assertThat(b.manifest().name()).isEqualTo("tiny-hf");
    assertThat(b.manifest().textSpec().maxLength()).isEqualTo(32);
  }

  @Test
  void badArgumentsGiveAUsageErrorNotAStackTrace() {
    assertThat(TrainerCli.execute("fine-tune", "--catalog", "x.jsonl")).isEqualTo(2);
    assertThat(TrainerCli.execute("nonsense")).isEqualTo(2);
    assertThat(TrainerCli.execute("train-locked", "--help")).isZero();
  }
}
