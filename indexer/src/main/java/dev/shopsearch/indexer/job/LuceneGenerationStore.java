package dev.shopsearch.indexer.job;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexCodecs;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The embedded backend's {@link GenerationStore}: generation directories under an index root
 * ({@link IndexGenerations}). A draft holds the root's writer lock from creation to close; an
 * update's draft is a hard-linked copy of the live generation ({@link
 * IndexGenerations#newGenerationFrom}); {@link GenerationDraft#publish} commits once with the
 * metadata, re-opens and checks the generation ({@link JobSupport#verifyBeforePublish}), switches
 * {@code CURRENT} and prunes. A draft closed unpublished is deleted; one left by a killed process
 * is pruned by the next run.
 */
public final class LuceneGenerationStore implements GenerationStore {
  private final IndexGenerations gens;
  private final boolean forceMerge;

  /**
   * @param root the index root
   * @param forceMerge merge each new generation to one segment before publishing
   */
  public LuceneGenerationStore(Path root, boolean forceMerge) {
    this.gens = new IndexGenerations(root);
    this.forceMerge = forceMerge;
  }

  @Override
  public GenerationDraft create(IndexMetadata metadata, ProductRefusals refusals)
      throws IOException {
    IndexGenerations.WriterLock lock = gens.lock();
    try {
      Generation gen = gens.newGeneration();
      IndexWriterConfig cfg = writerConfig(metadata, IndexWriterConfig.OpenMode.CREATE);
      return new Draft(lock, gen, null, cfg, metadata, refusals);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  @Override
  public GenerationDraft copyOfCurrent(ProductRefusals refusals) throws IOException {
    IndexGenerations.WriterLock lock = gens.lock();
    OpenIndex base = null;
    try {
      base = gens.openCurrent();
      IndexMetadata baseMeta = base.metadata();
      Generation gen = gens.newGenerationFrom(base.generation());
      return new Draft(
          lock,
          gen,
          base,
          writerConfig(baseMeta, IndexWriterConfig.OpenMode.APPEND),
          baseMeta,
          refusals);
    } catch (IOException | RuntimeException e) {
      if (base != null) {
        base.close();
      }
      lock.close();
      throw e;
    }
  }

  @Override
  public String describe() {
    return "lucene " + gens.root();
  }

  /** The writer configuration for a generation with the codec of {@code meta}. */
  static IndexWriterConfig writerConfig(IndexMetadata meta, IndexWriterConfig.OpenMode mode) {
    return new IndexWriterConfig(LexicalAnalysis.indexing())
        .setOpenMode(mode)
        .setCodec(IndexCodecs.codec(meta.vectorFormat(), meta.hnsw()))
        .setRAMBufferSizeMB(256)
        .setCommitOnClose(false);
  }

  private final class Draft implements GenerationDraft {
    private final IndexGenerations.WriterLock lock;
    private final Generation gen;
    private final OpenIndex base;
    private final BaseLookup lookup;
    private final Directory dir;
    private final IndexWriter writer;
    private final BlockWriter blocks;
    private boolean published;

    Draft(
        IndexGenerations.WriterLock lock,
        Generation gen,
        OpenIndex base,
        IndexWriterConfig cfg,
        IndexMetadata meta,
        ProductRefusals refusals)
        throws IOException {
      this.lock = lock;
      this.gen = gen;
      this.base = base;
      this.lookup = base == null ? null : new BaseLookup(base.reader());
      Directory d = FSDirectory.open(gen.dir());
      try {
        this.writer = new IndexWriter(d, cfg);
      } catch (IOException | RuntimeException e) {
        d.close();
        IndexBuilder.deleteQuietly(gen.dir());
        throw e;
      }
      this.dir = d;
      this.blocks =
          new BlockWriter(writer, new ProductDocuments(meta.dim(), meta.similarity()), refusals);
    }

    @Override
    public long number() {
      return gen.number();
    }

    @Override
    public String name() {
      return gen.name();
    }

    @Override
    public Optional<IndexMetadata> base() {
      return base == null ? Optional.empty() : Optional.of(base.metadata());
    }

    @Override
    public boolean unchanged(String productId, String contentHash) throws IOException {
      return lookup != null && lookup.unchanged(productId, contentHash);
    }

    @Override
    public boolean put(
        Product product, List<ImageVector> images, String contentHash, float[] textVector)
        throws IOException {
      if (lookup == null) {
        return blocks.add(product, images, contentHash, textVector);
      }
      if (!blocks.replace(product, images, contentHash, textVector)) {
        return false; // not kept: its old block is deleted with the products gone
      }
      lookup.keep(product.id());
      return true;
    }

    @Override
    public long deleteRemoved() throws IOException {
      if (lookup == null) {
        return 0;
      }
      List<String> gone = lookup.notKept();
      for (String id : gone) {
        writer.deleteDocuments(ProductDocuments.idTerm(id));
      }
      return gone.size();
    }

    @Override
    public Counts counts() throws IOException {
      try (DirectoryReader nrt = DirectoryReader.open(writer)) {
        return new Counts(
            JobSupport.countType(nrt, IndexSchema.TYPE_PRODUCT),
            JobSupport.countType(nrt, IndexSchema.TYPE_IMAGE));
      }
    }

    @Override
    public List<String> publish(IndexMetadata metadata, int keepGenerations) throws IOException {
      Counts counts = counts();
      if (forceMerge) {
        writer.forceMerge(1);
      }
      writer.setLiveCommitData(metadata.toUserData().entrySet());
      writer.commit();
      writer.close();
      JobSupport.verifyBeforePublish(gen, counts.products(), counts.images());
      gens.publish(gen);
      published = true;
      List<String> pruned = new ArrayList<>();
      for (Generation g : gens.prune(keepGenerations)) {
        pruned.add(g.name());
      }
      return pruned;
    }

    @Override
    public void close() throws IOException {
      try {
        if (!published) {
          try {
            writer.rollback();
          } catch (IOException | RuntimeException e) {
            // the generation is deleted below either way
          }
          dir.close();
          IndexBuilder.deleteQuietly(gen.dir());
        } else {
          dir.close();
        }
      } finally {
        try {
          if (base != null) {
            base.close();
          }
        } finally {
          lock.close();
        }
      }
    }
  }
}
