package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImageDecoder;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.indexer.job.JobConfig;
import dev.shopsearch.indexer.job.JobResult;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Common body of {@code build} and {@code update}: load the model, run, print the summary. */
abstract class JobCommand implements Callable<Integer> {
  @Mixin JobOptions job;
  @Mixin ModelOptions model;
  @Spec CommandSpec spec;

  /** Runs the job with everything opened. */
  abstract JobResult run(
      JobConfig config,
      ModelBundle bundle,
      SourceImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      GenerationStore store)
      throws Exception;

  @Override
  public Integer call() throws Exception {
    JobConfig config = configure(job.config(spec.name()));
    job.backend.validate(
        config.keepGenerations()); // bad backend options fail before the model loads
    ModelBundle bundle = model.load();
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(bundle.manifest().imageSpec(), new ImageDecoder(job.decodeLimits()));
    try (ImageSource source = job.imageSource(config.catalog());
        ImageEncoder encoder = Encoders.image(bundle, model.encoderOptions());
        TextEncoder text =
            job.noTextVectors ? null : Encoders.text(bundle, model.encoderOptions());
        BackendOptions.OpenStore store = job.backend.open(config)) {
      JobResult result =
          run(
              config,
              bundle,
              new SourceImageLoader(source, preprocessor),
              encoder,
              text,
              store.store());
      Json.print(spec.commandLine().getOut(), result);
      return exitCode(result);
    }
  }

  /**
   * {@link IndexerCli#EXIT_REJECTS} when the catalog's content stopped the run (nothing published):
   * the reject rate is above the threshold, or a build indexed no product (an empty catalog, every
   * row rejected); else 0 (an update without changes publishes nothing and succeeds).
   */
  static int exitCode(JobResult result) {
    if (result.rejectRateExceeded() || (!result.published() && result.command().equals("build"))) {
      return IndexerCli.EXIT_REJECTS;
    }
    return 0;
  }

  /** Lets a subcommand adjust the configuration (e.g. the vector format). */
  JobConfig configure(JobConfig config) {
    return config;
  }
}
