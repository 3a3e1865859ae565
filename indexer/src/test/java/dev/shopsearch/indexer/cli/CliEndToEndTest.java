package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.indexer.testing.TestImages;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI end to end with a real tiny CLIP bundle (ONNX Runtime), real JPEG decoding and a real
 * Lucene index: build, update, verify, audit, stats, and a refused mismatched bundle.
 */
class CliEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] COLOURS = {"red", "blue", "green", "black", "white"};

  @TempDir Path tmp;
  Path catalog;
  Path bundle;
  Path index;

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  void setUp() throws Exception {
    Path cat = tmp.resolve("catalog");
    Files.createDirectories(cat.resolve("images"));
    Random rnd = new Random(5);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String ref = "images/p" + i + ".jpg";
      Files.write(cat.resolve(ref), TestImages.jpeg(rnd, 40, 48));
      String colour = COLOURS[i % COLOURS.length];
      lines.add(
          String.format(
              Locale.ROOT,
              "{\"id\":\"p%d\",\"name\":\"%s shirt\",\"description\":\"%s cotton shirt\","
                  + "\"categories\":[\"Men / Tops\"],\"color\":\"%s\",\"price\":%d,"
                  + "\"images\":[\"%s\"]}",
              i,
              colour,
              colour,
              colour,
              10 + i,
              ref));
    }
    catalog = cat.resolve("catalog.jsonl");
    Files.writeString(catalog, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    bundle = TinyClipBundle.create(tmp.resolve("bundle"), 7).dir();
    index = tmp.resolve("index");
  }

  private String[] job(String command, Path bundleDir, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                command,
                "--index",
                index.toString(),
                "--catalog",
                catalog.toString(),
                "--bundle",
                bundleDir.toString(),
                "--progress",
                "none",
                "--threads",
                "2",
                "--batch-size",
                "8"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void buildUpdateVerifyAuditStatsAndRefuseAnotherModel() throws Exception {
    setUp();
    Run build = cli(job("build", bundle, "--vector-format", "int7"));
    assertThat(build.exit()).as(build.err()).isZero();
    JsonNode b = build.json();
    assertThat(b.get("published").asBoolean()).isTrue();
    assertThat(b.get("productsIndexed").asLong()).isEqualTo(30);
    assertThat(b.get("imagesEncoded").asLong()).isEqualTo(30);
    assertThat(b.get("rejectRate").asDouble()).isZero();

    // change one image: the update encodes exactly that one
    Files.write(
        catalog.getParent().resolve("images/p3.jpg"), TestImages.jpeg(new Random(99), 40, 48));
    Run update = cli(job("update", bundle));
    assertThat(update.exit()).as(update.err()).isZero();
    JsonNode u = update.json();
    assertThat(u.get("published").asBoolean()).isTrue();
    assertThat(u.get("generation").asLong()).isEqualTo(2);
    assertThat(u.get("imagesEncoded").asLong()).isEqualTo(1);
    assertThat(u.get("productsUnchanged").asLong()).isEqualTo(29);

    Run verify =
        cli(
            "verify",
            "--index",
            index.toString(),
            "--bundle",
            bundle.toString(),
            "--queries",
            "20");
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.json().get("checkIndexClean").asBoolean()).isTrue();
    assertThat(verify.json().get("recall").asDouble()).isGreaterThanOrEqualTo(0.9);

    Path audit = tmp.resolve("audit.csv");
    Run a =
        cli(
            "audit",
            "--index",
            index.toString(),
            "--bundle",
            bundle.toString(),
            "--threshold",
            "p10",
            "--out",
            audit.toString());
    assertThat(a.exit()).as(a.err()).isZero();
    JsonNode aj = a.json();
    assertThat(aj.get("images").asLong()).isEqualTo(30);
    assertThat(aj.get("flaggedImages").asLong()).isEqualTo(2); // strictly below the 10th percentile
    List<String> rows = Files.readAllLines(audit);
    assertThat(rows.get(0)).isEqualTo("id,image,score,flagged,name");
    assertThat(rows).hasSize(31);
    double prev = -2;
    for (String row : rows.subList(1, rows.size())) {
      double score = Double.parseDouble(row.split(",")[2]);
      assertThat(score).isGreaterThanOrEqualTo(prev).isBetween(-1.0, 1.0);
      prev = score;
    }

    Run stats = cli("stats", "--index", index.toString());
    assertThat(stats.exit()).isZero();
    assertThat(stats.json().get("products").asLong()).isEqualTo(30);
    assertThat(stats.json().get("current").asText()).isEqualTo("gen-000002");
    assertThat(stats.json().get("metadata").get("shopsearch.vector_format").asText())
        .isEqualTo("int7");

    Path other = TinyClipBundle.create(tmp.resolve("bundle-other"), 8).dir();
    Run refused = cli(job("update", other));
    assertThat(refused.exit()).isEqualTo(IndexerCli.EXIT_FAILURE);
    assertThat(refused.err()).contains("does not match index generation 2").contains("model hash");
    Run refusedVerify = cli("verify", "--index", index.toString(), "--bundle", other.toString());
    assertThat(refusedVerify.exit()).isEqualTo(IndexerCli.EXIT_FAILURE);

    Run usage = cli("build", "--index", index.toString());
    assertThat(usage.exit()).isEqualTo(IndexerCli.EXIT_USAGE);
    assertThat(usage.err()).contains("Missing required options");
  }
}
