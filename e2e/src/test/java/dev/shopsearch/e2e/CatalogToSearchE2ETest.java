package dev.shopsearch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
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
      // Vector mode: the answer comes from the trained towers alone, not from the product names.
      List<String> failures = new ArrayList<>();
      int dominated = 0;
      for (String category : CATEGORIES) {
        JsonNode hits = service.search(category, "vector", 10).get("hits");
        assertThat(hits.size()).as("hits for '%s'", category).isEqualTo(10);
        int matching = 0;
        for (JsonNode hit : hits) {
          if (hit.get("name").asText().toLowerCase(Locale.ROOT).contains(category)) {
            matching++;
          }
        }
        if (matching >= 5) {
          dominated++;
        } else {
          failures.add(category + ": " + matching + "/10");
        }
      }
      // 12 categories: chance is under 1 in 10 per hit. A few epochs of a tiny model learn shapes
      // well but not perfectly, so most (not all) categories must dominate their own top 10.
      assertThat(dominated)
          .as("categories whose top 10 (vector mode) is mostly that category; misses: %s", failures)
          .isGreaterThanOrEqualTo(CATEGORIES.size() * 2 / 3);

      JsonNode hybrid = service.search("red floral dress", "hybrid", 5);
      assertThat(hybrid.get("hits").get(0).get("name").asText()).containsIgnoringCase("dress");
      assertThat(hybrid.get("timings").has("encode")).isTrue();
    }
    assertThat(Files.exists(run.resolve("metrics.json")) || Files.exists(bundle)).isTrue();
  }

  private static final int EPOCHS = 6;

  private static final List<String> CATEGORIES =
      List.of(
          "t-shirt",
          "dress",
          "skirt",
          "trousers",
          "shorts",
          "hoodie",
          "sneakers",
          "boots",
          "cap",
          "handbag",
          "backpack",
          "top");
}
