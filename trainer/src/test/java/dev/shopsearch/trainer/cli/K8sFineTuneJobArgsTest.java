package dev.shopsearch.trainer.cli;

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

/** The GPU overlay's fine-tune Job runs a command line that the trainer's own parser accepts. */
class K8sFineTuneJobArgsTest {

  @Test
  @SuppressWarnings("unchecked")
  void fineTuneJobArgumentsParseWithTheTrainerCli() throws Exception {
    Path job =
        Path.of("").toAbsolutePath().getParent().resolve("k8s/overlays/gpu/finetune-job.yaml");
    List<String> args = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(job)) {
      Map<String, Object> doc = null;
      for (Object d : new Yaml().loadAll(r)) {
        if (d instanceof Map<?, ?> m && "Job".equals(m.get("kind"))) {
          doc = (Map<String, Object>) m;
        }
      }
      assertThat(doc).as("a Job in %s", job).isNotNull();
      Map<String, Object> template =
          (Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("template");
      List<Map<String, Object>> containers =
          (List<Map<String, Object>>)
              ((Map<String, Object>) template.get("spec")).get("containers");
      ((List<Object>) containers.get(0).get("args")).forEach(a -> args.add(String.valueOf(a)));
    }
    assertThat(args).as("args of %s", job).isNotEmpty();

    CommandLine.ParseResult parsed =
        new CommandLine(new TrainerCli()).parseArgs(args.toArray(String[]::new));

    assertThat(parsed.subcommand()).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("fine-tune");
  }
}
