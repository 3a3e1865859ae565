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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incremental update, copy-on-write: a new generation starts as a copy of the live one ({@link
 * GenerationStore#copyOfCurrent}), the catalog is compared product by product through the content
 * hash (row fields + image bytes), only added or changed products are re-encoded and written,
 * products no longer in the catalog (or now rejected) are deleted, and the new generation is
 * checked and published. Readers of the old generation never see a half-applied change; a crash
 * leaves the old generation live.
 */
public final class IndexUpdater {
  private static final Logger LOG = LoggerFactory.getLogger(IndexUpdater.class);

  private final JobConfig config;
  private final BundleManifest bundle;
  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final TextEncoder text;
  private final Reporting reporting;
  private final GenerationStore store;

  /** An update of the Lucene generations under {@link JobConfig#indexRoot()}, no text vectors. */
  public IndexUpdater(
      JobConfig config,
      BundleManifest bundle,
      ImageLoader loader,
      ImageEncoder encoder,
      Reporting reporting) {
    this(config, bundle, loader, encoder, null, reporting);
  }

  /**
   * An update of the Lucene generations under {@link JobConfig#indexRoot()} that also writes each
   * product's text vector ({@link dev.shopsearch.core.index.IndexSchema#TEXT_VECTOR}).
   *
   * @param text the bundle's text tower, or null for no text vectors
   */
  public IndexUpdater(
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
   * An update in {@code store}.
   *
   * @param text the bundle's text tower, or null for no text vectors
   */
  public IndexUpdater(
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

  /**
   * Runs the update.
   *
   * @throws java.nio.file.NoSuchFileException if there is no live generation to update
   * @throws dev.shopsearch.core.index.IndexMismatchException if the bundle does not match the
   *     index, or the index has another schema version (it must be rebuilt)
   */
  public JobResult run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    PipelineStats stats = new PipelineStats();
    String checksum = CatalogReader.catalogChecksum(config.catalog());
    try (RejectLog rejects = new RejectLog(config.rejectsFile());
        EmbeddingCache cache = JobSupport.openCache(config, bundle);
        GenerationDraft draft = store.copyOfCurrent(rejects)) {
      IndexMetadata baseMeta =
          draft.base().orElseThrow(() -> new IllegalStateException("an update needs a base"));
      baseMeta.checkCompatible(bundle);
      baseMeta.checkWritable();
      String baseName = "generation " + baseMeta.generation();
      LOG.info(
          "updating {} into {} in {} from {}",
          baseName,
          draft.name(),
          store.describe(),
          config.catalog());
      AtomicLong written = new AtomicLong();
      PipelineSink sink =
          new PipelineSink() {
            @Override
            public boolean wants(Product product, String contentHash) throws IOException {
              return !draft.unchanged(product.id(), contentHash);
            }

            @Override
            public boolean write(EncodedProduct p) throws IOException {
              if (!draft.put(p.product(), p.images(), p.contentHash(), p.textVector())) {
                return false; // not kept: its old version is deleted with the products gone
              }
              written.incrementAndGet();
              return true;
            }
          };
      JobSupport.runPipeline(config, reporting, stats, rejects, cache, loader, encoder, text, sink);
      draft.counts(); // flushes: refusals reported late count in the reject rate
      JobResult partial =
          JobSupport.result(
              "update", false, 0, "", stats, rejects, 0, config.maxRejectRate(), 0, 0, start);
      if (partial.rejectRateExceeded()) {
        return JobSupport.result(
            "update",
            false,
            0,
            String.format(
                Locale.ROOT,
                "reject rate %.4f is above the threshold %.4f; nothing published, %s stays live",
                partial.rejectRate(),
                config.maxRejectRate(),
                baseName),
            stats,
            rejects,
            0,
            config.maxRejectRate(),
            baseMeta.products(),
            baseMeta.images(),
            start);
      }
      long deleted = draft.deleteRemoved();
      if (written.get() == 0 && deleted == 0) {
        return JobSupport.result(
            "update",
            false,
            baseMeta.generation(),
            "no changes; " + baseName + " stays live",
            stats,
            rejects,
            0,
            config.maxRejectRate(),
            baseMeta.products(),
            baseMeta.images(),
            start);
      }
      GenerationDraft.Counts counts = draft.counts();
      IndexMetadata meta =
          baseMeta.forCommit(draft.number(), counts.products(), counts.images(), checksum);
      List<String> pruned = draft.publish(meta, config.keepGenerations());
      LOG.info("published {}; pruned {}", draft.name(), pruned.size());
      return JobSupport.result(
          "update",
          true,
          draft.number(),
          "published " + draft.name(),
          stats,
          rejects,
          deleted,
          config.maxRejectRate(),
          counts.products(),
          counts.images(),
          start);
    }
  }
}
