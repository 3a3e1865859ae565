package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.job.AuditThreshold;
import dev.shopsearch.indexer.job.ConsistencyAuditor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Image-text consistency: cosine between each product's text (name + description) and each"
            + " of its image vectors; score distribution and rows sorted by score.")
final class AuditCommand implements Callable<Integer> {
  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index root.")
  Path index;

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
    ModelBundle bundle = model.load();
    try (OpenIndex open = new IndexGenerations(index).openCurrent();
        TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
      open.metadata().checkCompatible(bundle.manifest());
      Json.print(
          spec.commandLine().getOut(),
          new ConsistencyAuditor(t, Math.max(1, batchSize)).audit(open, text, out));
    }
    return 0;
  }
}
