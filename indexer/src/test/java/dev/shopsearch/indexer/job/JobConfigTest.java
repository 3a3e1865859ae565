package dev.shopsearch.indexer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.VectorFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JobConfigTest {
  final Path catalog = Path.of("catalog.jsonl");
  final Path root = Path.of("index");

  @Test
  void builderStartsFromTheDocumentedDefaults() {
    JobConfig c = JobConfig.builder(catalog, FieldMapping.magentoLuma(), root).build();
    assertThat(c.format()).isEqualTo(VectorFormat.FLOAT);
    assertThat(c.hnsw()).isEqualTo(HnswParams.DEFAULT);
    assertThat(c.maxRejectRate()).isEqualTo(0.05);
    assertThat(c.keepGenerations()).isEqualTo(3);
    assertThat(c.cacheDir()).isEqualTo(root.resolve("embedding-cache"));
    assertThat(c.rejectsFile()).isNull();
    assertThat(c.forceMerge()).isFalse();
    assertThat(c.limit()).isZero();
    assertThat(JobConfig.of(catalog, FieldMapping.magentoLuma(), root)).isEqualTo(c);
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    JobConfig c =
        JobConfig.builder(catalog, FieldMapping.magentoLuma(), root)
            .maxRejectRate(0.5)
            .cacheDir(null)
            .keepGenerations(2)
            .build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    JobConfig limited = c.toBuilder().limit(7).build();
    assertThat(limited.limit()).isEqualTo(7);
    assertThat(limited.toBuilder().limit(0).build()).isEqualTo(c);
  }

  @Test
  void buildValidatesNamingTheValueAndTheLimit() {
    assertThatThrownBy(
            () ->
                JobConfig.builder(catalog, FieldMapping.magentoLuma(), root)
                    .maxRejectRate(1.5)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxRejectRate must be in [0, 1]")
        .hasMessageContaining("1.5");
    assertThatThrownBy(
            () ->
                JobConfig.builder(catalog, FieldMapping.magentoLuma(), root)
                    .keepGenerations(0)
                    .build())
        .hasMessageContaining("keepGenerations must be >= 1");
  }
}
