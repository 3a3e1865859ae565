package dev.shopsearch.indexer.job;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.pipeline.EmbeddingPipeline;
import dev.shopsearch.indexer.pipeline.EncodedProduct;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.PipelineSink;
import dev.shopsearch.indexer.pipeline.PipelineStats;
import dev.shopsearch.indexer.report.RejectLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full build: the whole catalog into a new generation, committed, checked, then published and
 * older generations pruned. Nothing is published when the reject rate passes the threshold or the
 * run fails; a crash leaves the previous generation live.
 */
public final class IndexBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(IndexBuilder.class);

  private final JobConfig config;
  private final BundleManifest bundle;
  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final TextEncoder text;
  private final Reporting reporting;

  /** A job without text vectors (no semantic list for the products it writes). */
  public IndexBuilder(
      JobConfig config,
      BundleManifest bundle,
      ImageLoader loader,
      ImageEncoder encoder,
      Reporting reporting) {
    this(config, bundle, loader, encoder, null, reporting);
  }

  /**
   * A job that also writes each product's text vector ({@link
   * dev.shopsearch.core.index.IndexSchema#TEXT_VECTOR}).
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
    JobSupport.requireSameDim(encoder, bundle);
    this.config = config;
    this.bundle = bundle;
    this.loader = loader;
    this.encoder = encoder;
    this.text = text;
    this.reporting = reporting;
  }

  /** Runs the build. */
  public JobResult run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    IndexGenerations gens = new IndexGenerations(config.indexRoot());
    PipelineStats stats = new PipelineStats();
    ProductDocuments docs = new ProductDocuments(bundle.dim(), bundle.similarity());
    String checksum = CatalogReader.catalogChecksum(config.catalog());
    try (IndexGenerations.WriterLock lock = gens.lock();
        RejectLog rejects = new RejectLog(config.rejectsFile());
        EmbeddingCache cache = JobSupport.openCache(config, bundle)) {
      Generation gen = gens.newGeneration();
      LOG.info(
          "building {} from {} ({} vectors)", gen.dir(), config.catalog(), config.format().key());
      boolean committed = false;
      try {
        AtomicLong images = new AtomicLong();
        AtomicLong products = new AtomicLong();
        try (Directory dir = FSDirectory.open(gen.dir());
            IndexWriter writer = new IndexWriter(dir, writerConfig());
            CatalogReader reader =
                CatalogReader.open(config.catalog(), config.mapping(), config.readerOptions());
            AutoCloseable progress =
                reporting.start(stats, rejects, JobSupport.estimateRows(config.catalog()))) {
          BlockWriter blocks = new BlockWriter(writer, docs, rejects);
          PipelineSink sink =
              new PipelineSink() {
                @Override
                public boolean wants(Product product, String contentHash) {
                  return true;
                }

                @Override
                public boolean write(EncodedProduct p) throws IOException {
                  if (!blocks.add(p)) {
                    return false;
                  }
                  products.incrementAndGet();
                  images.addAndGet(p.images().size());
                  return true;
                }
              };
          new EmbeddingPipeline(config.pipeline(), loader, encoder, text, cache, rejects, stats)
              .run(config.limited(reader), sink);
          progress.close();
          cache.commit();
          JobResult partial =
              JobSupport.result(
                  "build", false, 0, "", stats, rejects, 0, config.maxRejectRate(), 0, 0, start);
          if (partial.rejectRateExceeded() || products.get() == 0) {
            writer.rollback();
            String why =
                products.get() == 0
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
          if (config.forceMerge()) {
            writer.forceMerge(1);
          }
          IndexMetadata meta =
              IndexMetadata.forBundle(bundle, config.format(), config.hnsw(), checksum)
                  .forCommit(gen.number(), products.get(), images.get(), checksum);
          writer.setLiveCommitData(meta.toUserData().entrySet());
          writer.commit();
          committed = true;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
        JobSupport.verifyBeforePublish(gen, products.get(), images.get());
        gens.publish(gen);
        var pruned = gens.prune(config.keepGenerations());
        LOG.info("published {}; pruned {}", gen.name(), pruned.size());
        return JobSupport.result(
            "build",
            true,
            gen.number(),
            "published " + gen.name(),
            stats,
            rejects,
            0,
            config.maxRejectRate(),
            products.get(),
            images.get(),
            start);
      } finally {
        if (!committed || !gen.equals(gens.current().orElse(null))) {
          deleteQuietly(gen.dir());
        }
      }
    }
  }

  private IndexWriterConfig writerConfig() {
    return new IndexWriterConfig(LexicalAnalysis.indexing())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setCodec(IndexCodecs.codec(config.format(), config.hnsw()))
        .setRAMBufferSizeMB(256)
        .setCommitOnClose(false);
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
