package dev.shopsearch.trainer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.trainer.TinyCatalog;
import dev.shopsearch.trainer.hf.HfClipCheckpointTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

  /** Exit code and stderr of one command line. */
  record Run(int exit, String err) {}

  static Run cli(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = TrainerCli.commandLine();
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, err.toString());
  }

  private static void assertOneLine(Run r, int exit, String... fragments) {
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
    assertThat(r.err()).doesNotContain("\tat ", "Exception");
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void badArgumentsGiveOneUsageLineAndTheIndexersExitCode() {
    assertOneLine(
        cli("fine-tune", "--catalog", "x.jsonl"),
        TrainerCli.EXIT_USAGE,
        "trainer fine-tune:",
        "Missing required",
        "--out");
    assertOneLine(cli("nonsense"), TrainerCli.EXIT_USAGE, "trainer:", "nonsense");
    assertOneLine(cli(), TrainerCli.EXIT_USAGE, "a subcommand is required");
    assertOneLine(
        cli("train-locked", "--catalog", "x.csv", "--out", "y", "--epochs", "many"),
        TrainerCli.EXIT_USAGE,
        "--epochs",
        "many");
    assertThat(TrainerCli.execute("train-locked", "--help")).isZero();
    assertThat(TrainerCli.execute("bench-locked", "--help")).isZero();
  }

  @Test
  void optionValuesOutOfRangeAreUsageErrorsNamingTheOption() throws IOException {
    List<Product> products = TinyCatalog.write(dir, 2);
    Path catalog = writeJsonl(dir, products);
    Path tok = TinyCatalog.tokenizer(dir);
    String[] fineTune = {
      "fine-tune",
      "--catalog",
      catalog.toString(),
      "--init",
      "tiny",
      "--tokenizer",
      tok.toString(),
      "--out",
      dir.resolve("run").toString()
    };
    assertOneLine(
        cli(concat(fineTune, "--epochs", "0")),
        TrainerCli.EXIT_USAGE,
        "trainer fine-tune: --epochs must be in [1, 10000]; --epochs=0");
    // Option values are checked before any file is read.
    assertOneLine(
        cli(
            "fine-tune",
            "--catalog",
            dir.resolve("absent.jsonl").toString(),
            "--init",
            "tiny",
            "--tokenizer",
            dir.resolve("absent.json").toString(),
            "--out",
            dir.resolve("run").toString(),
            "--lr",
            "2"),
        TrainerCli.EXIT_USAGE,
        "--lr must be in (0, 1); --lr=2.0");
    assertOneLine(
        cli(concat(fineTune, "--loss", "softmax")),
        TrainerCli.EXIT_USAGE,
        "trainer fine-tune: --loss must be infonce or sigmoid; --loss=softmax");
    assertOneLine(
        cli("train-locked", "--catalog", "x.csv", "--out", "y", "--loss", "hinge"),
        TrainerCli.EXIT_USAGE,
        "trainer train-locked: --loss must be infonce or sigmoid; --loss=hinge");
    assertOneLine(
        cli(concat(fineTune, "--mask-prob", "0.9")),
        TrainerCli.EXIT_USAGE,
        "--mask-prob must be in [0, 0.5]");
    assertOneLine(
        cli(concat(fineTune, "--val-fraction", "1.5")),
        TrainerCli.EXIT_USAGE,
        "--val-fraction must be in [0.0, 0.9]");
    assertOneLine(cli(concat(fineTune, "--mapping", "nope")), TrainerCli.EXIT_USAGE, "--mapping: ");
    assertOneLine(
        cli(concat(fineTune, "--template", "plain words")), TrainerCli.EXIT_USAGE, "--template: ");
    assertOneLine(
        cli(
            "fine-tune",
            "--catalog",
            catalog.toString(),
            "--init",
            "huge",
            "--tokenizer",
            tok.toString(),
            "--out",
            dir.resolve("run").toString()),
        TrainerCli.EXIT_USAGE,
        "--init must be tiny, small, base or vit-b-32; --init=huge");
    assertOneLine(
        cli(
            "train-locked",
            "--catalog",
            catalog.toString(),
            "--out",
            dir.resolve("locked").toString(),
            "--head",
            "deep"),
        TrainerCli.EXIT_USAGE,
        "--head must be linear, mlp or residual; --head=deep");
    assertOneLine(
        cli(
            "bench-locked",
            "--catalog",
            catalog.toString(),
            "--out",
            dir.resolve("bench").toString(),
            "--feature-dropout",
            "2"),
        TrainerCli.EXIT_USAGE,
        "--feature-dropout must be in [0, 0.9]; --feature-dropout=2.0");
  }

  @Test
  void aMissingFileIsAOneLineFailure() throws IOException {
    Path tok = TinyCatalog.tokenizer(dir);
    Path missing = dir.resolve("missing.jsonl");
    assertOneLine(
        cli(
            "fine-tune",
            "--catalog",
            missing.toString(),
            "--init",
            "tiny",
            "--tokenizer",
            tok.toString(),
            "--out",
            dir.resolve("run").toString()),
        TrainerCli.EXIT_FAILURE,
        "trainer fine-tune: no such file: " + missing);
    assertOneLine(
        cli(
            "train-locked",
            "--catalog",
            missing.toString(),
            "--out",
            dir.resolve("locked").toString()),
        TrainerCli.EXIT_FAILURE,
        "trainer train-locked: no such file: " + missing);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
