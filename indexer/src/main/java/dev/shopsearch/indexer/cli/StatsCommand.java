package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.indexer.job.IndexStats;
import dev.shopsearch.indexer.job.OpenSearchStats;
import dev.shopsearch.opensearch.GenerationReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description =
        "Generations, metadata, document counts and sizes of an index root, or with --backend"
            + " opensearch of the alias's generation indices.")
final class StatsCommand implements Callable<Integer> {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index root (required with --backend lucene).")
  Path index;

  @Mixin BackendOptions backend = new BackendOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (BackendOptions.openSearch(backend, spec)) {
      try (BackendOptions.Cluster cluster = BackendOptions.connect(backend, spec)) {
        Json.print(
            spec.commandLine().getOut(),
            OpenSearchStats.collect(
                cluster.generations(), new GenerationReader(cluster.client()), cluster.alias()));
      }
      return 0;
    }
    if (index == null) {
      throw new ParameterException(
          spec.commandLine(), "--index DIR is required with --backend lucene");
    }
    Json.print(spec.commandLine().getOut(), IndexStats.collect(new IndexGenerations(index)));
    return 0;
  }
}
