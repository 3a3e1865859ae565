package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.indexer.calibrate.Calibration;
import dev.shopsearch.indexer.calibrate.CalibrationConfig;
import dev.shopsearch.indexer.job.FusionCommit;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description =
        "Learns the hybrid fusion weights of the live generation from its own products: name and"
            + " attribute-template queries, split by a seeded hash into a calibration and a"
            + " held-out half; grid search of weighted RRF and normalised-score fusion for nDCG@10"
            + " on the calibration half; publishes a copy of the generation with the chosen"
            + " settings in its metadata (unless --dry-run) and prints a JSON report of lexical,"
            + " vector, equal RRF and both calibrated fusions on both halves.")
final class CalibrateCommand implements Callable<Integer> {
  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index root.")
  Path index;

  @Mixin ModelOptions model;

  @Option(names = "--seed", defaultValue = "42", description = "Split seed (${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--held-out",
      defaultValue = "0.5",
      description = "Share of queries held out (${DEFAULT-VALUE}).")
  double heldOut;

  @Option(
      names = "--max-queries",
      defaultValue = "1000",
      description = "Most queries per half (${DEFAULT-VALUE}).")
  int maxQueries;

  @Option(
      names = "--candidates",
      defaultValue = "" + ProductKnn.DEFAULT_CANDIDATES,
      description =
          "Products per retrieved list; the service's shopsearch.search.num-candidates"
              + " (${DEFAULT-VALUE}).")
  int candidates;

  @Option(names = "--steps", defaultValue = "20", description = "Weight grid steps.")
  int steps;

  @Option(names = "--rrf-k", defaultValue = "60", description = "RRF constant (${DEFAULT-VALUE}).")
  int rrfK;

  @Option(names = "--batch-size", defaultValue = "64", description = "Texts per encoder call.")
  int batchSize;

  @Option(names = "--keep", defaultValue = "3", description = "Generations to keep.")
  int keep;

  @Option(names = "--dry-run", description = "Report only; write nothing.")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CalibrationConfig config =
        new CalibrationConfig(seed, heldOut, maxQueries, candidates, 10, steps, rrfK, batchSize);
    ModelBundle bundle = model.load();
    IndexGenerations gens = new IndexGenerations(index);
    Calibration.Report report;
    try (OpenIndex open = gens.openCurrent();
        TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
      // only queries are encoded: the model's verified int8 copy will do
      open.metadata().checkQueryCompatible(bundle.manifest());
      report = Calibration.run(open, text, config);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("command", "calibrate");
    if (dryRun) {
      out.put("published", false);
    } else {
      Generation gen = FusionCommit.publish(gens, report.generation(), report.chosen(), keep);
      out.put("published", true);
      out.put("publishedGeneration", gen.number());
    }
    out.put("report", report);
    Json.print(spec.commandLine().getOut(), out);
    return 0;
  }
}
