package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.indexer.job.IndexStats;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Generations, metadata, document counts and sizes of an index root.")
final class StatsCommand implements Callable<Integer> {
  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index root.")
  Path index;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Json.print(spec.commandLine().getOut(), IndexStats.collect(new IndexGenerations(index)));
    return 0;
  }
}
