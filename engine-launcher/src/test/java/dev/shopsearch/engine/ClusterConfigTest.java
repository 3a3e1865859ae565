package dev.shopsearch.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
  @TempDir Path tmp;

  @Test
  void outOfRangeValuesAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> new ClusterConfig(0, "512m", Duration.ofSeconds(1), tmp, tmp))
        .hasMessageContaining("nodes=0");
    assertThatThrownBy(() -> new ClusterConfig(2, "lots", Duration.ofSeconds(1), tmp, tmp))
        .hasMessageContaining("heap=lots");
    assertThatThrownBy(() -> new ClusterConfig(2, "512m", Duration.ZERO, tmp, tmp))
        .hasMessageContaining("startTimeout");
  }

  @Test
  void defaultsFindTheEngineJarsBesideTheLauncherClasses() {
    ClusterConfig c = ClusterConfig.defaults(2, tmp);
    assertThat(c.engineLib().getFileName().toString()).isEqualTo("engine-lib");
    assertThat(c.engineLib().resolve("knn")).isDirectory();
    assertThat(c.heap()).isEqualTo("512m");
  }

  @Test
  void aMissingEngineFolderFailsFastWithoutForking() {
    ClusterConfig c =
        new ClusterConfig(
            2, "512m", Duration.ofSeconds(5), tmp.resolve("nowhere"), tmp.resolve("w"));
    assertThatThrownBy(() -> OpenSearchCluster.start(c))
        .isInstanceOf(EngineStartException.class)
        .hasMessageContaining("nowhere")
        .satisfies(e -> assertThat(((EngineStartException) e).timedOut()).isFalse());
  }
}
