package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.indexer.job.IndexUpdater;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.JobResult;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import picocli.CommandLine.Command;

@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description =
        "Incremental update: re-encodes added and changed products only, deletes removed ones,"
            + " publishes a new generation (copy-on-write).")
final class UpdateCommand extends JobCommand {
  @Override
  JobResult run(
      JobConfig config,
      ModelBundle bundle,
      SourceImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      GenerationStore store)
      throws Exception {
    return new IndexUpdater(
            config, bundle.manifest(), loader, encoder, text, job.reporting(), store)
        .run();
  }
}
