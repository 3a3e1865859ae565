package dev.shopsearch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's end-to-end path, through the packaged programs: generate a small synthetic catalog →
 * train a tiny CLIP for a few epochs with the trainer → export → index with the indexer → start the
 * service jar on free ports → query over HTTP.
 */
@org.junit.jupiter.api.Tag("slow")
class CatalogToSearchE2ETest {

  @TempDir Path work;

  @Test
  void trainedModelRetrievesTheQueriedCategory() throws Exception {
    Path logs = work.resolve("logs");
    Path catalog = work.resolve("catalog");
    Path run = work.resolve("run");
    Path index = work.resolve("index");
    Path root = Launched.projectRoot();

    Launched.Result trained =
        Launched.run(
            logs,
            "trainer-demo",
            Duration.ofMinutes(10),
            root.resolve("trainer/bin/trainer").toString(),
            "demo",
            "--catalog-dir=" + catalog,
            "--products=480",
            "--out=" + run,
            "--image-size=32",
            "--patch=8",
            "--width=64",
            "--layers=2",
            "--dim=64",
            "--epochs=" + EPOCHS,
            "--batch=64",
            "--lr=2e-3",
            "--warmup=10",
            "--patience=0",
            "--seed=7");
    Path bundle = Path.of(trained.lastLine());
    assertThat(bundle.resolve("model.json")).isRegularFile();
    assertThat(bundle.resolve("text.onnx")).isRegularFile();
    assertThat(bundle.resolve("image.onnx")).isRegularFile();

    Launched.run(
        logs,
        "indexer-build",
        Duration.ofMinutes(10),
        root.resolve("indexer/bin/indexer").toString(),
        "build",
        "--index=" + index,
        "--catalog=" + catalog.resolve("catalog.jsonl"),
        "--bundle=" + bundle,
        "--mapping=auto");
    assertThat(index.resolve("CURRENT")).isRegularFile();

    try (RunningService service = RunningService.start(logs, bundle, index, catalog)) {
      // Vector mode answers from the trained towers alone, not from the product names. A few
      // epochs of a tiny model learn colour first (shape needs the longer demo training), so here
      // the queried colour must dominate; 12 colours make chance about 1 in 12 per hit.
      List<String> failures = new ArrayList<>();
      for (String colour : COLOURS) {
        JsonNode hits = service.search(colour, "vector", 10).get("hits");
        assertThat(hits.size()).as("hits for '%s'", colour).isEqualTo(10);
        int matching = countNames(hits, colour);
        if (matching < 6) {
          failures.add(colour + ": " + matching + "/10");
        }
      }
      assertThat(failures).as("colours whose vector top 10 is not mostly that colour").isEmpty();

      // Hybrid (the default mode) fuses the vectors with BM25 on names, descriptions, categories:
      // the queried category dominates.
      for (String category : List.of("dress", "backpack", "sneakers")) {
        JsonNode hybrid = service.search(category, "hybrid", 10);
        assertThat(countNames(hybrid.get("hits"), category))
            .as("'%s' in hybrid mode: %s", category, hybrid.get("hits"))
            .isGreaterThanOrEqualTo(7);
        assertThat(hybrid.get("timings").has("encode")).isTrue();
      }
      // Both signals together: a red dress is in the top 5, and every top-5 hit matches at least
      // one of the two words.
      JsonNode redDress = service.search("red dress", "hybrid", 5).get("hits");
      int both = 0;
      for (JsonNode hit : redDress) {
        String name = hit.get("name").asText().toLowerCase(Locale.ROOT);
        assertThat(name).as("'red dress' hit").containsAnyOf("red", "dress");
        both += name.contains("red") && name.contains("dress") ? 1 : 0;
      }
      assertThat(both).as("red dresses in the top 5 of 'red dress': %s", redDress).isPositive();
    }
    assertThat(run.resolve("metrics.json")).as("the trainer's run report").isRegularFile();
  }

  private static final int EPOCHS = 6;

  private static final List<String> COLOURS =
      List.of("red", "blue", "green", "yellow", "black", "pink");

  private static int countNames(JsonNode hits, String word) {
    int n = 0;
    for (JsonNode hit : hits) {
      if (hit.get("name").asText().toLowerCase(Locale.ROOT).contains(word)) {
        n++;
      }
    }
    return n;
  }
}
