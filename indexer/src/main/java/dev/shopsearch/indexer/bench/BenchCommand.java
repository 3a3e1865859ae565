package dev.shopsearch.indexer.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code indexer bench ...}: benchmark commands (results in docs/benchmarks.md). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: vector formats, pipeline throughput, incremental vs full build.",
    subcommands = {VectorFormatBench.class, PipelineBench.class, IncrementalBench.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark name is required");
  }
}
