package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/** The nightly reindex CronJob runs a command line that the indexer's own parser accepts. */
class K8sCronJobArgsTest {

  @Test
  void cronJobArgumentsParseWithTheIndexerCli() throws Exception {
    Path cronJob =
        Path.of("").toAbsolutePath().getParent().resolve("k8s/base/cronjob-reindex.yaml");
    List<String> args = containerArgs(cronJob);
    assertThat(args).as("args of %s", cronJob).isNotEmpty();

    CommandLine.ParseResult parsed =
        IndexerCli.commandLine().parseArgs(args.toArray(String[]::new));

    assertThat(parsed.subcommand()).as("a subcommand").isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("update");
    assertThat(parsed.subcommand().matchedOptionValue("--index", (Object) null)).isNotNull();
  }

  @Test
  void openSearchOverlayArgumentsParseAndSelectTheBackend() throws Exception {
    Path patch =
        Path.of("")
            .toAbsolutePath()
            .getParent()
            .resolve("k8s/overlays/opensearch/cronjob-opensearch.yaml");
    List<String> args = containerArgs(patch);
    CommandLine.ParseResult parsed =
        IndexerCli.commandLine().parseArgs(args.toArray(String[]::new));
    CommandLine.ParseResult update = parsed.subcommand();
    assertThat(update.commandSpec().name()).isEqualTo("update");
    assertThat(update.matchedOptionValue("--backend", "")).isEqualTo("opensearch");
    assertThat(update.matchedOptionValue("--opensearch-password-file", (Object) null)).isNotNull();
    assertThat(update.matchedOptionValue("--opensearch-truststore", (Object) null)).isNotNull();
  }

  @SuppressWarnings("unchecked")
  static List<String> containerArgs(Path manifest) throws Exception {
    try (Reader r = Files.newBufferedReader(manifest)) {
      Map<String, Object> doc = new Yaml().load(r);
      Map<String, Object> spec = (Map<String, Object>) doc.get("spec");
      Map<String, Object> jobSpec =
          (Map<String, Object>) ((Map<String, Object>) spec.get("jobTemplate")).get("spec");
      Map<String, Object> podSpec =
          (Map<String, Object>) ((Map<String, Object>) jobSpec.get("template")).get("spec");
      List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
      List<String> args = new ArrayList<>();
      for (Object a : (List<Object>) containers.get(0).get("args")) {
        args.add(String.valueOf(a));
      }
      return args;
    }
  }
}
