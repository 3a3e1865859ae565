package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.job.AuditThreshold;
import dev.shopsearch.indexer.job.ConsistencyAuditor;
import dev.shopsearch.indexer.job.IndexAuditedProducts;
import dev.shopsearch.indexer.job.OpenSearchAuditedProducts;
import dev.shopsearch.opensearch.GenerationReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Image-text consistency: cosine between each product's text (name + description) and each"
            + " of its image vectors; score distribution and rows sorted by score (the live"
            + " generation, or with --backend opensearch the alias's generation).")
final class AuditCommand implements Callable<Integer> {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index root (required with --backend lucene).")
  Path index;

  @Mixin BackendOptions backend = new BackendOptions();

  @Mixin ModelOptions model;

  @Option(
      names = "--threshold",
      defaultValue = "0.35",
      description = "Flag below this cosine (0.35) or percentile (p5) (default: ${DEFAULT-VALUE}).")
  String threshold;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Rows, lowest score first: JSONL, or CSV when FILE ends with .csv.")
  Path out;

  @Option(names = "--batch-size", defaultValue = "64", description = "Texts per encoder call.")
  int batchSize;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    AuditThreshold t = AuditThreshold.parse(threshold);
    ConsistencyAuditor auditor = new ConsistencyAuditor(t, Math.max(1, batchSize));
    if (BackendOptions.openSearch(backend, spec)) {
      return auditOpenSearch(auditor);
    }
    if (index == null) {
      throw new ParameterException(
          spec.commandLine(), "--index DIR is required with --backend lucene");
    }
    ModelBundle bundle = model.load();
    try (OpenIndex open = new IndexGenerations(index).openCurrent();
        TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
      open.metadata().checkCompatible(bundle.manifest());
      return print(
          auditor.audit(open.generation().name(), new IndexAuditedProducts(open), text, out));
    }
  }

  /** The generation the alias points to, its model checked against the bundle's as embedded. */
  private int auditOpenSearch(ConsistencyAuditor auditor) throws Exception {
    try (BackendOptions.Cluster cluster = BackendOptions.connect(backend, spec)) {
      ModelBundle bundle = model.load();
      String generation =
          cluster
              .generations()
              .current()
              .orElseThrow(
                  () ->
                      new IOException(
                          "no published generation: the alias "
                              + cluster.alias()
                              + " names no index"));
      cluster.generations().metadata(generation).checkCompatible(bundle.manifest());
      try (TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
        return print(
            auditor.audit(
                generation,
                new OpenSearchAuditedProducts(new GenerationReader(cluster.client()), generation),
                text,
                out));
      }
    }
  }

  private int print(ConsistencyAuditor.Result r) {
    Json.print(spec.commandLine().getOut(), r);
    return 0;
  }
}
