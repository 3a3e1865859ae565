package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.job.IndexVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "CheckIndex, block structure, metadata counts and the recall@k of the service's search"
            + " (best image per product, its candidate window, rescoring) against exact search"
            + " on the live generation; exit 3 on failure.")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index root.")
  Path index;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Also check that this bundle matches the index.")
  Path bundle;

  @Option(names = "--queries", defaultValue = "50", description = "Recall spot-check queries.")
  int queries;

  @Option(names = "-k", defaultValue = "10", description = "Products per query (a page).")
  int k;

  @Option(
      names = "--candidates",
      defaultValue = "100",
      description =
          "HNSW candidates, as the service's shopsearch.search.num-candidates (default:"
              + " ${DEFAULT-VALUE}); the search asks for max(k, min(candidates, 10k)) products.")
  int candidates;

  @Option(names = "--min-recall", defaultValue = "0.9", description = "Minimum recall@k.")
  double minRecall;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed of the queries.")
  long seed;

  @Option(names = "--no-check-index", description = "Skip Lucene's CheckIndex.")
  boolean noCheckIndex;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    IndexGenerations gens = new IndexGenerations(index);
    if (bundle != null) {
      try (OpenIndex open = gens.openCurrent()) {
        open.metadata().checkCompatible(ModelBundle.load(bundle).manifest());
      }
    }
    IndexVerifier.Result r =
        new IndexVerifier(queries, k, candidates, minRecall, seed, !noCheckIndex).verify(gens);
    Json.print(spec.commandLine().getOut(), r);
    return r.passed() ? 0 : IndexerCli.EXIT_VERIFY;
  }
}
