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
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.indexer.cache.EmbeddingCache;
import dev.shopsearch.indexer.pipeline.EmbeddingPipeline;
import dev.shopsearch.indexer.pipeline.EncodedProduct;
import dev.shopsearch.indexer.pipeline.ImageLoader;
import dev.shopsearch.indexer.pipeline.PipelineSink;
import dev.shopsearch.indexer.pipeline.PipelineStats;
import dev.shopsearch.indexer.report.RejectLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An incremental update, copy-on-write: the live generation is hard-linked into a new one, the
 * catalog is compared product by product through the content hash (row fields + image bytes), only
 * added or changed products are re-encoded and replaced as whole blocks, products no longer in the
 * catalog (or now rejected) are deleted, and the new generation is committed once, checked and
 * published. Readers of the old generation never see a half-applied change; a crash leaves the old
 * generation live.
 */
public final class IndexUpdater {
  private static final Logger LOG = LoggerFactory.getLogger(IndexUpdater.class);

  private final JobConfig config;
  private final BundleManifest bundle;
  private final ImageLoader loader;
  private final ImageEncoder encoder;
  private final TextEncoder text;
  private final Reporting reporting;

  /** A job without text vectors (no semantic list for the products it writes). */
  public IndexUpdater(
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
  public IndexUpdater(
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

  /**
   * Runs the update.
   *
   * @throws java.nio.file.NoSuchFileException if there is no live generation to update
   * @throws dev.shopsearch.core.index.IndexMismatchException if the bundle does not match the
   *     index, or the index has another schema version (it must be rebuilt)
   */
  public JobResult run() throws IOException, InterruptedException {
    long start = System.nanoTime();
    IndexGenerations gens = new IndexGenerations(config.indexRoot());
    PipelineStats stats = new PipelineStats();
    String checksum = CatalogReader.catalogChecksum(config.catalog());
    try (IndexGenerations.WriterLock lock = gens.lock();
        OpenIndex base = gens.openCurrent();
        RejectLog rejects = new RejectLog(config.rejectsFile());
        EmbeddingCache cache = JobSupport.openCache(config, bundle)) {
      IndexMetadata baseMeta = base.metadata();
      baseMeta.checkCompatible(bundle);
      baseMeta.checkWritable();
      ProductDocuments docs = new ProductDocuments(baseMeta.dim(), baseMeta.similarity());
      BaseLookup lookup = new BaseLookup(base.reader());
      Generation gen = gens.newGenerationFrom(base.generation());
      LOG.info(
          "updating {} into {} from {}", base.generation().name(), gen.name(), config.catalog());
      boolean publish = false;
      try {
        long deleted;
        long products;
        long images;
        AtomicLong written = new AtomicLong();
        try (Directory dir = FSDirectory.open(gen.dir());
            IndexWriter writer = new IndexWriter(dir, writerConfig(baseMeta));
            CatalogReader reader =
                CatalogReader.open(config.catalog(), config.mapping(), config.readerOptions());
            AutoCloseable progress =
                reporting.start(stats, rejects, JobSupport.estimateRows(config.catalog()))) {
          BlockWriter blocks = new BlockWriter(writer, docs, rejects);
          PipelineSink sink =
              new PipelineSink() {
                @Override
                public boolean wants(Product product, String contentHash) throws IOException {
                  return !lookup.unchanged(product.id(), contentHash);
                }

                @Override
                public boolean write(EncodedProduct p) throws IOException {
                  if (!blocks.replace(p)) {
                    return false; // not kept: its old block is deleted with the products gone
                  }
                  lookup.keep(p.product().id());
                  written.incrementAndGet();
                  return true;
                }
              };
          new EmbeddingPipeline(config.pipeline(), loader, encoder, text, cache, rejects, stats)
              .run(config.limited(reader), sink);
          progress.close();
          cache.commit();
          JobResult partial =
              JobSupport.result(
                  "update", false, 0, "", stats, rejects, 0, config.maxRejectRate(), 0, 0, start);
          if (partial.rejectRateExceeded()) {
            writer.rollback();
            return JobSupport.result(
                "update",
                false,
                0,
                String.format(
                    Locale.ROOT,
                    "reject rate %.4f is above the threshold %.4f; nothing published, %s stays live",
                    partial.rejectRate(),
                    config.maxRejectRate(),
                    base.generation().name()),
                stats,
                rejects,
                0,
                config.maxRejectRate(),
                baseMeta.products(),
                baseMeta.images(),
                start);
          }
          List<String> gone = lookup.notKept();
          for (String id : gone) {
            writer.deleteDocuments(ProductDocuments.idTerm(id));
          }
          deleted = gone.size();
          if (written.get() == 0 && deleted == 0) {
            writer.rollback();
            return JobSupport.result(
                "update",
                false,
                base.generation().number(),
                "no changes; " + base.generation().name() + " stays live",
                stats,
                rejects,
                0,
                config.maxRejectRate(),
                baseMeta.products(),
                baseMeta.images(),
                start);
          }
          try (DirectoryReader nrt = DirectoryReader.open(writer)) {
            products = JobSupport.countType(nrt, IndexSchema.TYPE_PRODUCT);
            images = JobSupport.countType(nrt, IndexSchema.TYPE_IMAGE);
          }
          if (config.forceMerge()) {
            writer.forceMerge(1);
          }
          IndexMetadata meta = baseMeta.forCommit(gen.number(), products, images, checksum);
          writer.setLiveCommitData(meta.toUserData().entrySet());
          writer.commit();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
        JobSupport.verifyBeforePublish(gen, products, images);
        gens.publish(gen);
        publish = true;
        var pruned = gens.prune(config.keepGenerations());
        LOG.info("published {}; pruned {}", gen.name(), pruned.size());
        return JobSupport.result(
            "update",
            true,
            gen.number(),
            "published " + gen.name(),
            stats,
            rejects,
            deleted,
            config.maxRejectRate(),
            products,
            images,
            start);
      } finally {
        if (!publish) {
          IndexBuilder.deleteQuietly(gen.dir());
        }
      }
    }
  }

  /** The writer configuration for changing a copy of a generation built with {@code meta}. */
  static IndexWriterConfig writerConfig(IndexMetadata meta) {
    return new IndexWriterConfig(LexicalAnalysis.indexing())
        .setOpenMode(IndexWriterConfig.OpenMode.APPEND)
        .setCodec(IndexCodecs.codec(meta.vectorFormat(), meta.hnsw()))
        .setRAMBufferSizeMB(256)
        .setCommitOnClose(false);
  }

  /**
   * The base generation's products: content hash by id (term lookups, nothing loaded up front), and
   * one bit per parent document for "still in the catalog and indexed".
   */
  private static final class BaseLookup {
    private final IndexSearcher searcher;
    private final FixedBitSet kept;

    BaseLookup(DirectoryReader reader) {
      this.searcher = new IndexSearcher(reader);
      this.kept = new FixedBitSet(Math.max(1, reader.maxDoc()));
    }

    private int parentDoc(String id) throws IOException {
      BooleanQuery q =
          new BooleanQuery.Builder()
              .add(new TermQuery(ProductDocuments.idTerm(id)), BooleanClause.Occur.FILTER)
              .add(
                  new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
                  BooleanClause.Occur.FILTER)
              .build();
      TopDocs top = searcher.search(q, 1);
      return top.scoreDocs.length == 0 ? -1 : top.scoreDocs[0].doc;
    }

    /** True (and the product marked kept) when the base has it with the same content hash. */
    boolean unchanged(String id, String contentHash) throws IOException {
      int doc = parentDoc(id);
      if (doc < 0) {
        return false;
      }
      String old = searcher.storedFields().document(doc).get(IndexSchema.CONTENT_HASH);
      if (contentHash.equals(old)) {
        mark(doc);
        return true;
      }
      return false;
    }

    void keep(String id) throws IOException {
      int doc = parentDoc(id);
      if (doc >= 0) {
        mark(doc);
      }
    }

    private synchronized void mark(int doc) {
      kept.set(doc);
    }

    /** Ids of base products neither unchanged nor rewritten: deleted or now rejected. */
    synchronized List<String> notKept() throws IOException {
      List<String> ids = new ArrayList<>();
      Weight weight =
          searcher.createWeight(
              searcher.rewrite(
                  new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT))),
              ScoreMode.COMPLETE_NO_SCORES,
              1);
      StoredFields stored = searcher.storedFields();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
          continue;
        }
        Bits live = leaf.reader().getLiveDocs();
        DocIdSetIterator it = scorer.iterator();
        for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
          int doc = leaf.docBase + d;
          if ((live == null || live.get(d)) && !kept.get(doc)) {
            ids.add(stored.document(doc).get(IndexSchema.PRODUCT_ID));
          }
        }
      }
      return ids;
    }
  }
}
