package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.indexer.calibrate.Calibration;
import dev.shopsearch.indexer.calibrate.CalibrationConfig;
import dev.shopsearch.indexer.calibrate.LuceneCalibrationSource;
import dev.shopsearch.indexer.calibrate.ViewCalibrationSource;
import dev.shopsearch.indexer.job.FusionCommit;
import dev.shopsearch.opensearch.OpenSearchBackend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
            + " vector, equal RRF and both calibrated fusions on both halves. With --backend"
            + " opensearch: the generation the alias names, searched as the service searches it;"
            + " the copy is a server-side reindex with the same shards and replicas.")
final class CalibrateCommand implements Callable<Integer> {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index root (required with --backend lucene).")
  Path index;

  @Mixin BackendOptions backend = new BackendOptions();

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
    boolean openSearch = BackendOptions.openSearch(backend, spec);
    if (!openSearch && index == null) {
      throw new ParameterException(
          spec.commandLine(), "--index DIR is required with --backend lucene");
    }
    ModelBundle bundle = model.load();
    Calibration.Report report =
        openSearch ? calibrateOpenSearch(bundle, config) : calibrateLucene(bundle, config);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("command", "calibrate");
    out.put("backend", openSearch ? "opensearch" : "lucene");
    if (dryRun) {
      out.put("published", false);
    } else {
      try (BackendOptions.OpenStore store = openForCopy()) {
        long gen = FusionCommit.publish(store.store(), report.generation(), report.chosen(), keep);
        out.put("published", true);
        out.put("publishedGeneration", gen);
      }
    }
    out.put("report", report);
    Json.print(spec.commandLine().getOut(), out);
    return 0;
  }

  private Calibration.Report calibrateLucene(ModelBundle bundle, CalibrationConfig config)
      throws Exception {
    try (OpenIndex open = new IndexGenerations(index).openCurrent();
        TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
      // only queries are encoded: the model's verified int8 copy will do
      open.metadata().checkQueryCompatible(bundle.manifest());
      return Calibration.run(new LuceneCalibrationSource(open), text, config);
    }
  }

  /**
   * The generation the alias names, through the service's own backend (its kNN with int7 rescoring,
   * its BM25 query, its semantic list); the model guard refuses another model's index.
   */
  private Calibration.Report calibrateOpenSearch(ModelBundle bundle, CalibrationConfig config)
      throws Exception {
    try (BackendOptions.Cluster cluster = BackendOptions.connect(backend, spec);
        TextEncoder text = Encoders.text(bundle, model.encoderOptions())) {
      OpenSearchBackend engine =
          new OpenSearchBackend(
              cluster.client(),
              cluster.generations(),
              meta -> meta.checkQueryCompatible(bundle.manifest()));
      try (ProductIndexView view = engine.acquire()) {
        return Calibration.run(new ViewCalibrationSource(view), text, config);
      }
    }
  }

  private BackendOptions.OpenStore openForCopy() {
    try {
      return backend.openForCopy(index, keep);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
