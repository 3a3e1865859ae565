package dev.shopsearch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.core.testing.SharedData;
import dev.shopsearch.engine.EngineStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the backend comparison at a tiny size: a 2-node cluster, both services forked from
 * the packaged jar, a few seconds of load each. Checks that every step reports and that the numbers
 * are sane, never how fast anything was.
 */
@Tag("slow")
class BackendComparisonTest {
  @Test
  void reportsEveryStepForBothBackends(@TempDir Path tmp) throws Exception {
    Path bpe = SharedData.require("tokenizers/clip/bpe_simple_vocab_16e6.txt.gz");
    Path jar = serviceJar();
    assumeTrue(
        jar != null,
        "skipped: service jar not built (./mvnw -pl service -am package, or run verify)");
    Path bundle = tmp.resolve("bundle");
    BenchSetup.bundle(
        Map.of("out", bundle.toString(), "bpe", bpe.toString(), "config", "tiny", "dim", "32"));
    BackendComparison.Settings s =
        BackendComparison.Settings.parse(
            new String[] {
              "--work=" + tmp.resolve("run"),
              "--bundle=" + bundle,
              "--service-jar=" + jar,
              "--products=300",
              "--clusters=20",
              "--queries=20",
              "--rates=5",
              "--seconds=2",
              "--warmup=1"
            });
    List<String> lines = new ArrayList<>();
    Map<String, Object> summary;
    try {
      summary = BackendComparison.run(s, lines::add);
    } catch (EngineStartException e) {
      assumeFalse(e.timedOut(), "skipped: " + e.getMessage());
      throw e;
    }
    assertThat(lines).hasSize(5); // build, bulk, recall, load × 2 backends
    @SuppressWarnings("unchecked")
    Map<String, Object> recall = (Map<String, Object>) summary.get("recall");
    // 300 products, a window of 100 candidates: both backends all but exact
    assertThat((double) recall.get("embedded")).isGreaterThanOrEqualTo(0.9);
    assertThat((double) recall.get("opensearch")).isGreaterThanOrEqualTo(0.9);
    @SuppressWarnings("unchecked")
    Map<String, Object> embedded = (Map<String, Object>) summary.get("embedded");
    @SuppressWarnings("unchecked")
    Map<String, Object> os = (Map<String, Object>) summary.get("opensearch");
    assertThat((long) embedded.get("bytes")).isPositive();
    // one replica: every copy together holds about twice the primaries
    assertThat((long) os.get("totalBytes")).isGreaterThan((long) os.get("primaryBytes"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> load = (List<Map<String, Object>>) summary.get("load");
    assertThat(load).extracting(r -> r.get("backend")).containsExactly("embedded", "opensearch");
    for (Map<String, Object> r : load) {
      assertThat((int) r.get("sent")).isPositive();
      assertThat((int) r.get("errors")).isZero();
      assertThat((int) r.get("ok") + (int) r.get("shed")).isEqualTo(r.get("sent"));
      assertThat((String) r.get("serviceRssMb")).matches("[1-9][0-9]*");
    }
    assertThat((String) load.get(1).get("nodeRssMb")).matches("[1-9][0-9]*\\+[1-9][0-9]*");
  }

  private static Path serviceJar() throws Exception {
    Path target = Path.of("../service/target");
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("shopsearch-service-.*-SNAPSHOT\\.jar"))
          .findFirst()
          .orElse(null);
    }
  }
}
