package dev.shopsearch.indexer.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.indexer.pipeline.PipelineStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void barShowsCountsRatesRejectsAndEta() throws Exception {
    PipelineStats stats = new PipelineStats();
    stats.productsWritten.set(40);
    stats.productsUnchanged.set(10);
    stats.imagesIndexed.set(80);
    stats.cacheHits.set(7);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (RejectLog rejects = new RejectLog(null)) {
      rejects.image(3, "p3", "NOT_FOUND", "a.jpg", "missing");
      Progress p =
          new Progress(
              stats,
              rejects,
              100,
              true,
              Duration.ofSeconds(10),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String line = p.line();
      assertThat(line)
          .startsWith("[============            ]  50% 50/100 products")
          .contains("cache hits 7")
          .contains("rejects 1")
          .containsPattern("ETA \\d\\d:\\d\\d:\\d\\d");
      p.close();
      p.close(); // idempotent
    }
    String out = err.toString(StandardCharsets.UTF_8);
    assertThat(out.split("\n")).hasSize(1);
    assertThat(Progress.formatDuration(3725)).isEqualTo("01:02:05");
  }
}
