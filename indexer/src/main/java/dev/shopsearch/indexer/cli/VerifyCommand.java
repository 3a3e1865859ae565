package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.fetch.FetchOptions;
import dev.shopsearch.core.fetch.ImageSource;
import dev.shopsearch.core.image.ImagePreprocessor;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.job.IndexVerifier;
import dev.shopsearch.indexer.job.ModelCheck;
import dev.shopsearch.indexer.job.OpenSearchVerifier;
import dev.shopsearch.indexer.pipeline.SourceImageLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "CheckIndex, block structure, metadata counts and the recall@k of the service's search"
            + " (best image per product, its candidate window, rescoring) against exact search"
            + " on the live generation (with --backend opensearch: the alias's generation, its"
            + " health, _meta and counts); exit 3 on failure.")
final class VerifyCommand implements Callable<Integer> {
  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Index root (required with --backend lucene).")
  Path index;

  @Mixin BackendOptions backend = new BackendOptions();

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

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description =
          "The catalog the generation was built from: its directory is where local image"
              + " references are read for the model check (or give --image-root).")
  Path catalog;

  @Mixin ImageRootOption images = new ImageRootOption();

  @Option(
      names = "--model-check",
      defaultValue = "16",
      description =
          "With --bundle and --catalog or --image-root: re-encode this many sampled images and"
              + " fail when one differs from its stored vector (cosine < 0.99); 0 = off"
              + " (default: ${DEFAULT-VALUE}).")
  int modelCheck;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    IndexVerifier verifier;
    try {
      verifier = new IndexVerifier(queries, k, candidates, minRecall, seed, !noCheckIndex);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (BackendOptions.openSearch(backend, spec)) {
      return verifyOpenSearch(verifier);
    }
    if (index == null) {
      throw new ParameterException(
          spec.commandLine(), "--index DIR is required with --backend lucene");
    }
    IndexGenerations gens = new IndexGenerations(index);
    if (bundle == null) {
      return print(verifier.verify(gens));
    }
    ModelBundle model = ModelBundle.load(bundle);
    try (OpenIndex open = gens.openCurrent()) {
      open.metadata().checkCompatible(model.manifest());
    }
    if (modelCheck <= 0 || !images.localImages(catalog)) {
      return print(verifier.verify(gens));
    }
    ImagePreprocessor preprocessor = new ImagePreprocessor(model.manifest().imageSpec());
    try (ImageSource source = images.source(catalog, FetchOptions.defaults());
        ImageEncoder encoder = Encoders.image(model, EncoderOptions.cpu())) {
      var loader = new SourceImageLoader(source, preprocessor);
      return print(verifier.verify(gens, new ModelCheck(loader, encoder, modelCheck, seed)));
    }
  }

  /**
   * The generation the alias points to; CheckIndex and the model re-encoding check read Lucene
   * files and image sources and are embedded-only.
   */
  private int verifyOpenSearch(IndexVerifier verifier) throws Exception {
    if (catalog != null || images.imageRoot != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--catalog and --image-root (the model re-encoding check) are embedded-only; with"
              + " --backend opensearch give --bundle to check the model's identity");
    }
    BundleManifest manifest = bundle == null ? null : ModelBundle.load(bundle).manifest();
    try (BackendOptions.Cluster cluster = BackendOptions.connect(backend, spec)) {
      return print(
          new OpenSearchVerifier(verifier)
              .verify(cluster.client(), cluster.generations(), manifest));
    }
  }

  private int print(IndexVerifier.Result r) {
    Json.print(spec.commandLine().getOut(), r);
    return r.passed() ? 0 : IndexerCli.EXIT_VERIFY;
  }
}
