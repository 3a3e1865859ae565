package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
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
 * {@code indexer calibrate} end to end on a small synthetic catalog whose names and categories say
 * what each product is while the model (a random-weight tiny CLIP) knows nothing: the BM25 list is
 * clearly the better one, so calibration must weight it up, and the calibrated fusion must not lose
 * to it on the held-out half (equal RRF does, dragged down by the random kNN list).
 */
class CalibrateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] COLOURS = {"red", "blue", "green", "black", "white", "yellow"};
  private static final String[] TYPES = {"shirt", "dress", "jacket", "sneakers", "handbag"};
  private static final String[] BRANDS = {"Acme", "Borealis", "Corvid", "Dunmore"};

  @TempDir Path tmp;

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

  private Path catalog() throws Exception {
    Path cat = tmp.resolve("catalog");
    Files.createDirectories(cat.resolve("images"));
    Random rnd = new Random(11);
    List<String> lines = new ArrayList<>();
    int n = 0;
    for (String brand : BRANDS) {
      for (String type : TYPES) {
        for (String colour : COLOURS) {
          String ref = "images/p" + n + ".jpg";
          Files.write(cat.resolve(ref), TestImages.jpeg(rnd, 24, 24));
          lines.add(
              String.format(
                  Locale.ROOT,
                  "{\"id\":\"p%d\",\"name\":\"%s %s %s\",\"description\":\"a %s %s\","
                      + "\"categories\":[\"%s / %s\"],\"color\":\"%s\",\"price\":%d,"
                      + "\"images\":[\"%s\"]}",
                  n,
                  brand,
                  colour,
                  type,
                  colour,
                  type,
                  type.equals("dress") || type.equals("handbag") ? "Women" : "Men",
                  type,
                  colour,
                  10 + n,
                  ref));
          n++;
        }
      }
    }
    Path file = cat.resolve("catalog.jsonl");
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private static JsonNode variant(JsonNode scores, String name) {
    for (JsonNode s : scores) {
      if (s.get("variant").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError("no variant " + name + " in " + scores);
  }

  @Test
  void weightsTheBetterListUpPublishesItAndNeverLosesToIt() throws Exception {
    Path catalog = catalog();
    Path bundle = TinyClipBundle.create(tmp.resolve("bundle"), 7).dir();
    Path index = tmp.resolve("index");
    Run build =
        cli(
            "build",
            "--index",
            index.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--threads",
            "1",
            "--batch-size",
            "16");
    assertThat(build.exit()).as(build.err()).isZero();
    // the build embeds every product's text with the bundle's text tower (the semantic list)
    assertThat(build.json().get("textsEncoded").asLong())
        .isEqualTo(BRANDS.length * TYPES.length * COLOURS.length);

    Run dry =
        cli("calibrate", "--index", index.toString(), "--bundle", bundle.toString(), "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.json().get("published").asBoolean()).isFalse();
    try (OpenIndex open = new IndexGenerations(index).openCurrent()) {
      assertThat(open.generation().number()).isEqualTo(1);
      assertThat(open.metadata().fusion()).isNull();
    }

    Run run = cli("calibrate", "--index", index.toString(), "--bundle", bundle.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode out = run.json();
    assertThat(out.get("publishedGeneration").asLong()).isEqualTo(2);
    JsonNode report = out.get("report");
    assertThat(report.get("queries").get("calibration").asInt()).isGreaterThan(20);
    assertThat(report.get("queries").get("heldOut").asInt()).isGreaterThan(20);
    JsonNode chosen = report.get("chosen");
    assertThat(chosen.get("lexicalWeight").asDouble())
        .as(report.toString())
        .isGreaterThan(chosen.get("vectorWeight").asDouble());

    // with the semantic list the calibration half's name queries are judged without it (a name
    // query would find its own product's text vector), and the two-list fusion is reported beside
    assertThat(report.get("chosenOn").asText()).isEqualTo("semantic-masked-on-names");
    assertThat(chosen.has("semanticWeight")).isTrue();
    JsonNode heldOut = report.get("heldOut");
    variant(heldOut, "semantic");
    variant(heldOut, "calibrated-2list");
    double lexical = variant(heldOut, "lexical").get("ndcg").asDouble();
    double vector = variant(heldOut, "vector").get("ndcg").asDouble();
    assertThat(lexical).as(heldOut.toString()).isGreaterThan(vector + 0.2);
    assertThat(variant(heldOut, "equal-rrf").get("ndcg").asDouble()).isLessThan(lexical);
    String chosenVariant =
        chosen.get("strategy").asText().equals("RRF") ? "calibrated-rrf" : "calibrated-score";
    JsonNode calibrated = variant(heldOut, chosenVariant);
    assertThat(calibrated.get("ndcg").asDouble())
        .as(heldOut.toString())
        .isGreaterThanOrEqualTo(lexical);
    assertThat(calibrated.get("recall").asDouble())
        .isGreaterThanOrEqualTo(variant(heldOut, "lexical").get("recall").asDouble());

    // The new generation carries the settings; same documents, counts checked before publishing.
    FusionSettings stored;
    try (OpenIndex open = new IndexGenerations(index).openCurrent()) {
      assertThat(open.generation().number()).isEqualTo(2);
      stored = open.metadata().fusion();
      assertThat(stored).isNotNull();
      assertThat(stored.lexicalWeight()).isEqualTo(chosen.get("lexicalWeight").asDouble());
      assertThat(stored.semanticWeight()).isEqualTo(chosen.get("semanticWeight").asDouble());
      assertThat(stored.strategy().name()).isEqualTo(chosen.get("strategy").asText());
      assertThat(open.metadata().products())
          .isEqualTo(BRANDS.length * TYPES.length * COLOURS.length);
    }
    // A later update (one price changed) keeps them.
    Files.writeString(catalog, Files.readString(catalog).replace("\"price\":10,", "\"price\":11,"));
    Run update =
        cli(
            "update",
            "--index",
            index.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--threads",
            "1");
    assertThat(update.exit()).as(update.err()).isZero();
    // only the price changed: the product's text vector comes from the cache
    assertThat(update.json().get("textsEncoded").asLong()).isZero();
    assertThat(update.json().get("textCacheHits").asLong()).isEqualTo(1);
    try (OpenIndex open = new IndexGenerations(index).openCurrent()) {
      assertThat(open.generation().number()).isEqualTo(3);
      assertThat(open.metadata().fusion()).isEqualTo(stored);
    }
  }

  @Test
  void anIndexWithoutTextVectorsIsCalibratedOverTwoLists() throws Exception {
    Path catalog = catalog();
    Path bundle = TinyClipBundle.create(tmp.resolve("bundle"), 7).dir();
    Path index = tmp.resolve("index");
    Run build =
        cli(
            "build",
            "--index",
            index.toString(),
            "--catalog",
            catalog.toString(),
            "--bundle",
            bundle.toString(),
            "--progress",
            "none",
            "--threads",
            "1",
            "--no-text-vectors");
    assertThat(build.exit()).as(build.err()).isZero();
    assertThat(build.json().get("textsEncoded").asLong()).isZero();
    Run dry =
        cli("calibrate", "--index", index.toString(), "--bundle", bundle.toString(), "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    JsonNode report = dry.json().get("report");
    assertThat(report.get("chosenOn").asText()).isEqualTo("all");
    assertThat(report.get("chosen").get("semanticWeight").asDouble()).isZero();
    List<String> variants = new ArrayList<>();
    report.get("heldOut").forEach(v -> variants.add(v.get("variant").asText()));
    assertThat(variants)
        .containsExactly("lexical", "vector", "equal-rrf", "calibrated-rrf", "calibrated-score");
  }
}
