package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.indexer.job.IndexBuilder;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.JobResult;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description = "Full build of the catalog into a new generation; publishes it when it passes.")
final class BuildCommand extends JobCommand {
  @Option(
      names = "--vector-format",
      defaultValue = "float",
      description = "float, int8, int7, int4 or binary (default: ${DEFAULT-VALUE}).")
  String vectorFormat;

  @Option(names = "--hnsw-m", defaultValue = "16", description = "HNSW max connections (M).")
  int m;

  @Option(
      names = "--hnsw-beam-width",
      defaultValue = "100",
      description = "HNSW construction beam width.")
  int beamWidth;

  @Override
  JobConfig configure(JobConfig c) {
    return c.toBuilder()
        .format(VectorFormat.fromKey(vectorFormat))
        .hnsw(new HnswParams(m, beamWidth))
        .build();
  }

  @Override
  JobResult run(
      JobConfig config,
      ModelBundle bundle,
      SourceImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      GenerationStore store)
      throws Exception {
    return new IndexBuilder(
            config, bundle.manifest(), loader, encoder, text, job.reporting(), store)
        .run();
  }
}
