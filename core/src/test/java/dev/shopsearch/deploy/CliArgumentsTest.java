package dev.shopsearch.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The command lines in k8s/ and docker/compose.yaml name sub-commands and options the CLIs really
 * have. core cannot depend on the indexer or trainer modules, so their picocli annotations are read
 * from source (where that module's CLI exists on this branch). The compose catalog step (the demo
 * generator, in shopsearch-tooling) is checked by the tooling module's {@code
 * ComposeCatalogStepTest}.
 */
class CliArgumentsTest {
  private static final Path ROOT = ProjectFiles.root();

  /** Sub-command names and option names declared in a module's picocli sources. */
  record Cli(Set<String> commands, Set<String> options) {
    static Cli of(String module) throws IOException {
      Path dir =
          ROOT.resolve(module)
              .resolve("src/main/java/dev/shopsearch")
              .resolve(module)
              .resolve("cli");
      assumeTrue(Files.isDirectory(dir), module + " CLI sources are not on this branch yet");
      Set<String> commands = new HashSet<>();
      Set<String> options = new HashSet<>();
      for (Path f : ProjectFiles.files(dir, ".java")) {
        String src = Files.readString(f);
        commands.addAll(ProjectFiles.all(src, "@Command\\(\\s*name\\s*=\\s*\"([^\"]+)\""));
        for (String names : ProjectFiles.all(src, "names\\s*=\\s*(\\{[^}]*\\}|\"[^\"]+\")")) {
          options.addAll(ProjectFiles.all(names, "\"([^\"]+)\""));
        }
      }
      return new Cli(commands, options);
    }

    void accepts(List<Object> args, String where) {
      assertThat(commands).as("%s: sub-command", where).contains(String.valueOf(args.getFirst()));
      for (Object a : args) {
        String arg = String.valueOf(a);
        if (arg.startsWith("--")) {
          assertThat(options).as("%s: option %s", where, arg).contains(arg.split("=", 2)[0]);
        }
      }
    }
  }

  @Test
  void reindexCronJobAndComposeUseRealIndexerOptions() throws IOException {
    Cli indexer = Cli.of("indexer");
    Map<String, Object> cron =
        Kustomize.find(
            Kustomize.build(ROOT.resolve("k8s/overlays/cpu")), "CronJob", "shopsearch-reindex");
    List<Object> cronArgs = Yamls.list(Yamls.containers(cron).getFirst().get("args"));
    indexer.accepts(cronArgs, "CronJob shopsearch-reindex");
    assertThat(cronArgs).contains("--index", "--catalog", "--bundle");
    Map<String, Object> compose = ProjectFiles.yaml(ROOT.resolve("docker/compose.yaml"));
    indexer.accepts(
        Yamls.list(Yamls.get(compose, "services.indexer.command")), "compose service indexer");
  }

  @Test
  void fineTuneJobUsesRealTrainerOptions() throws IOException {
    Cli trainer = Cli.of("trainer");
    Map<String, Object> job =
        Kustomize.find(
            Kustomize.build(ROOT.resolve("k8s/overlays/gpu")), "Job", "shopsearch-finetune");
    List<Object> args = Yamls.list(Yamls.containers(job).getFirst().get("args"));
    trainer.accepts(args, "Job shopsearch-finetune");
    assertThat(args).contains("--catalog", "--out");
  }
}
