package dev.shopsearch.indexer.job;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.pipeline.EncodedProduct;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.PipelineSink;
import dev.shopsearch.indexer.pipeline.PipelineStats;
import dev.shopsearch.indexer.report.RejectLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full build: the whole catalog into a new generation of a {@link GenerationStore} (the embedded
 * Lucene generations unless another store is given), checked, then published and older generations
 * pruned. Nothing is published when the reject rate passes the threshold or the run fails; a crash
 * leaves the previous generation live.
 */
public final class IndexBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(IndexBuilder.class);

  private final JobConfig config;
  private final BundleManifest bundle;
  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final TextEncoder text;
  private final Reporting reporting;
  private final GenerationStore store;

  /** A build of the Lucene generations under {@link JobConfig#indexRoot()}, no text vectors. */
  public IndexBuilder(
      JobConfig config,
      BundleManifest bundle,
      ImageLoader loader,
      ImageEncoder encoder,
      Reporting reporting) {
    this(config, bundle, loader, encoder, null, reporting);
  }

  /**
   * A build of the Lucene generations under {@link JobConfig#indexRoot()} that also writes each
   * product's text vector ({@link dev.shopsearch.core.index.IndexSchema#TEXT_VECTOR}).
   *
   * @param text the bundle's text tower, or null for no text vectors
   */
  public IndexBuilder(
      JobConfig config,
      BundleManifest bundle,
      ImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      Reporting reporting) {
    this(
        config,
        bundle,
        loader,
        encoder,
        text,
        reporting,
        new LuceneGenerationStore(config.indexRoot(), config.forceMerge()));
  }

  /**
   * A build in {@code store}.
   *
   * @param text the bundle's text tower, or null for no text vectors
   */
  public IndexBuilder(
      JobConfig config,
      BundleManifest bundle,
      ImageLoader loader,
      ImageEncoder encoder,
      TextEncoder text,
      Reporting reporting,
      GenerationStore store) {
    JobSupport.requireSameDim(encoder, bundle);
    this.config = config;
    this.bundle = bundle;
    this.loader = loader;
    this.encoder = encoder;
    this.text = text;
    this.reporting = reporting;
    this.store = store;
  }

  /** Runs the build. */
  public JobResult run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    PipelineStats stats = new PipelineStats();
    String checksum = CatalogReader.catalogChecksum(config.catalog());
    IndexMetadata model = IndexMetadata.forBundle(bundle, config.format(), config.hnsw(), checksum);
    try (RejectLog rejects = new RejectLog(config.rejectsFile());
        EmbeddingCache cache = JobSupport.openCache(config, bundle);
        GenerationDraft draft = store.create(model, rejects)) {
      LOG.info(
          "building {} in {} from {} ({} vectors)",
          draft.name(),
          store.describe(),
          config.catalog(),
          config.format().key());
      PipelineSink sink =
          new PipelineSink() {
            @Override
            public boolean wants(Product product, String contentHash) {
              return true;
            }

            @Override
            public boolean write(EncodedProduct p) throws IOException {
              return draft.put(p.product(), p.images(), p.contentHash(), p.textVector());
            }
          };
      JobSupport.runPipeline(config, reporting, stats, rejects, cache, loader, encoder, text, sink);
      GenerationDraft.Counts counts = draft.counts();
      JobResult partial =
          JobSupport.result(
              "build", false, 0, "", stats, rejects, 0, config.maxRejectRate(), 0, 0, start);
      if (partial.rejectRateExceeded() || counts.products() == 0) {
        String why =
            counts.products() == 0
                ? "no product could be indexed"
                : String.format(
                    Locale.ROOT,
                    "reject rate %.4f is above the threshold %.4f",
                    partial.rejectRate(),
                    config.maxRejectRate());
        return JobSupport.result(
            "build",
            false,
            0,
            why + "; nothing published",
            stats,
            rejects,
            0,
            config.maxRejectRate(),
            0,
            0,
            start);
      }
      IndexMetadata meta =
          model.forCommit(draft.number(), counts.products(), counts.images(), checksum);
      List<String> pruned = draft.publish(meta, config.keepGenerations());
      LOG.info("published {}; pruned {}", draft.name(), pruned.size());
      return JobSupport.result(
          "build",
          true,
          draft.number(),
          "published " + draft.name(),
          stats,
          rejects,
          0,
          config.maxRejectRate(),
          counts.products(),
          counts.images(),
          start);
    }
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
