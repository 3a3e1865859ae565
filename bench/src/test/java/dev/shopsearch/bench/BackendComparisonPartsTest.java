package dev.shopsearch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison's parts that need no cluster: settings, resident memory, exact top-k. */
class BackendComparisonPartsTest {

  @Test
  void settingsFailFastNamingTheFlagAndTheValue() {
    assertThatThrownBy(() -> BackendComparison.Settings.parse(new String[] {"--bundle=/b"}))
        .hasMessageContaining("--work");
    assertThatThrownBy(
            () ->
                BackendComparison.Settings.parse(
                    new String[] {"--work=/w", "--bundle=/b", "--candidates=5"}))
        .hasMessageContaining("--candidates must be in [10, 10000]; got 5");
    assertThatThrownBy(
            () ->
                BackendComparison.Settings.parse(
                    new String[] {"--work=/w", "--bundle=/b", "--replicas=2"}))
        .hasMessageContaining("--replicas must be < --nodes (2); got 2");
    assertThatThrownBy(
            () ->
                BackendComparison.Settings.parse(
                    new String[] {"--work=/w", "--bundle=/b", "--recall-candidates=100,20000"}))
        .hasMessageContaining("--recall-candidates must each be in [10, 10000]; got 20000");
    BackendComparison.Settings none =
        BackendComparison.Settings.parse(
            new String[] {"--work=/w", "--bundle=/b", "--rates=none", "--candidates=200"});
    assertThat(none.rates()).isEmpty();
    assertThat(none.recallCandidates()).containsExactly(200);
    BackendComparison.Settings s =
        BackendComparison.Settings.parse(new String[] {"--work=/w", "--bundle=/b"});
    assertThat(s.rates()).containsExactly(50.0, 100.0);
    assertThat(s.shards()).isEqualTo(2);
    assertThat(s.replicas()).isEqualTo(1);
  }

  @Test
  void residentMemoryIsReadInBytesFromTheStatusFile() throws IOException {
    assertThat(ProcessMemory.rssBytes(List.of("Name:\tjava", "VmRSS:\t  123456 kB", "x"), 1))
        .isEqualTo(123456L * 1024);
    assertThatThrownBy(() -> ProcessMemory.rssBytes(List.of("Name:\tjava"), 42))
        .hasMessageContaining("/proc/42/status");
    assertThat(ProcessMemory.rssBytes(ProcessHandle.current().pid())).isPositive();
  }

  @Test
  void exactTopKIsTheHighestDotProducts() {
    float[][] all = {{1, 0}, {0, 1}, {0.8f, 0.6f}, {-1, 0}};
    assertThat(KnnRecall.exactTop(all, new float[] {1, 0}, 2)).isEqualTo(Set.of("b0", "b2"));
    assertThat(KnnRecall.exactTop(all, new float[] {0, 1}, 1)).isEqualTo(Set.of("b1"));
  }

  @Test
  void syntheticVectorsDependOnlyOnTheProductNumber() {
    ClusteredVectors a = new ClusteredVectors(16, 10);
    ClusteredVectors b = new ClusteredVectors(16, 10);
    assertThat(b.vector(77)).containsExactly(a.vector(77));
    assertThat(b.product(77)).isEqualTo(a.product(77));
    assertThat(a.query(11, 3)).containsExactly(b.query(11, 3));
    assertThat(a.query(11, 3)).isNotEqualTo(a.query(11, 4));
  }
}
