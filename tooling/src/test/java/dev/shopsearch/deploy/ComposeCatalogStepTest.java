package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.tooling.demo.DemoCatalogGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The catalog step of docker/compose.yaml runs the demo generator with arguments its own parser
 * accepts, and the indexer step reads the catalog it writes. Lives in the tooling module (which
 * holds the generator) and reuses core's deployment test helpers from core's test-jar.
 */
class ComposeCatalogStepTest {
  private static final Path ROOT = ProjectFiles.root();

  @Test
  void composeCatalogStepRunsTheDemoGeneratorWithValidArguments() throws IOException {
    Map<String, Object> catalog =
        Yamls.map(
            Yamls.get(ProjectFiles.yaml(ROOT.resolve("docker/compose.yaml")), "services.catalog"));
    List<Object> entrypoint = Yamls.list(catalog.get("entrypoint"));
    assertThat(entrypoint.getLast()).isEqualTo(DemoCatalogGenerator.class.getName());
    String[] args =
        Yamls.list(catalog.get("command")).stream().map(String::valueOf).toArray(String[]::new);
    DemoCatalogGenerator.Invocation parsed = DemoCatalogGenerator.parseCommandLine(args);
    assertThat(parsed.outDir()).isEqualTo(Path.of("/data/catalog"));
    assertThat(parsed.config().products()).isEqualTo(DemoCatalogGenerator.DEFAULT_PRODUCTS);
    assertThat(parsed.config().seed()).isEqualTo(DemoCatalogGenerator.DEFAULT_SEED);
    assertThatThrownBy(() -> DemoCatalogGenerator.parseCommandLine("/x", "many"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("usage:");
    String indexerCommand =
        String.valueOf(
            Yamls.get(
                ProjectFiles.yaml(ROOT.resolve("docker/compose.yaml")),
                "services.indexer.command"));
    assertThat(indexerCommand)
        .contains(parsed.outDir().resolve(DemoCatalogGenerator.CATALOG_FILE).toString());
  }
}
