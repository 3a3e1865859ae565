package dev.shopsearch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code bin/demo}: on a first start it generates the synthetic catalog
 * and indexes it with the committed demo model ({@code models/demo}); the committed model answers
 * "red floral dress" and "红色碎花连衣裙" with red floral dresses; lexical search finds the floral dresses
 * for Chinese queries and corrects a misspelt one; a second start reuses the index.
 */
@org.junit.jupiter.api.Tag("slow")
class DemoCommandE2ETest {

  @TempDir Path work;

  @Test
  void demoServesRedFloralDressesInBothLanguagesAndRestartsOnTheSameIndex() throws Exception {
    Path logs = work.resolve("logs");
    Map<String, String> env =
        Map.of(
            "SHOPSEARCH_DEMO_DIR", work.resolve("demo").toString(), "SERVICE_JAVA_OPTS", "-Xmx1g");
    List<String> demo = List.of(Launched.projectRoot().resolve("bin/demo").toString());

    try (RunningService service =
        RunningService.start(logs, "demo-first", demo, env, Duration.ofMinutes(8))) {
      assertThat(service.log()).contains("generating the synthetic demo catalog");
      for (String query : List.of("red floral dress", "红色碎花连衣裙")) {
        // vector mode: the model alone, no help from the product names
        JsonNode hits = service.search(query, "vector", 5).get("hits");
        List<String> names = new ArrayList<>();
        hits.forEach(h -> names.add(h.get("name").asText()));
        assertThat(names).as("top 5 for '%s'", query).contains("Red Floral Dress");
        long red = names.stream().filter(n -> n.toLowerCase(Locale.ROOT).contains("red")).count();
        assertThat(red)
            .as("red products in the top 5 for '%s': %s", query, names)
            .isGreaterThanOrEqualTo(4);
      }
      // lexical only: Chinese words match the Chinese captions by word pairs, so a summer floral
      // dress that no product is called still finds the floral dresses
      for (String query : List.of("夏季碎花连衣裙", "红色碎花连衣裙")) {
        List<String> names = new ArrayList<>();
        service
            .search(query, "lexical", 5)
            .get("hits")
            .forEach(h -> names.add(h.get("name").asText()));
        assertThat(names)
            .as("lexical top 5 for '%s'", query)
            .hasSize(5)
            .allMatch(n -> n.endsWith("Floral Dress"));
      }
      JsonNode typo = service.search("red flroal dres", "hybrid", 5);
      assertThat(typo.get("didYouMean").asText()).isEqualTo("red floral dress");
    }

    try (RunningService again =
        RunningService.start(logs, "demo-second", demo, env, Duration.ofMinutes(3))) {
      assertThat(again.log()).contains("reusing the index").doesNotContain("generating");
      assertThat(again.search("red floral dress", "hybrid", 5).get("hits").size()).isEqualTo(5);
    }
  }
}
