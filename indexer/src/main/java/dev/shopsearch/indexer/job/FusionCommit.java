package dev.shopsearch.indexer.job;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.Generation;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.OpenIndex;
import java.io.IOException;
import java.util.Locale;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records calibrated fusion settings the way every change to an index is made: the live generation
 * is hard-linked into a new one ({@link IndexGenerations#newGenerationFrom}), which is committed
 * with the same documents and the settings in its metadata, checked, and published by switching
 * {@code CURRENT} atomically. The service swaps to it like to any new generation; a crash leaves
 * the old one live.
 */
public final class FusionCommit {
  private static final Logger LOG = LoggerFactory.getLogger(FusionCommit.class);

  private FusionCommit() {}

  /**
   * Publishes a copy of the live generation whose metadata carries {@code fusion}.
   *
   * @param gens the index root
   * @param calibrated the generation the settings were calibrated on; if {@code CURRENT} names
   *     another one now, nothing is written
   * @param fusion the settings
   * @param keep generations to keep when pruning
   * @return the published generation
   * @throws IOException when {@code CURRENT} moved meanwhile or the copy cannot be written
   */
  public static Generation publish(
      IndexGenerations gens, long calibrated, FusionSettings fusion, int keep) throws IOException {
    try (IndexGenerations.WriterLock lock = gens.lock()) {
      Generation base =
          gens.current()
              .orElseThrow(() -> new IOException(gens.root() + " has no live generation"));
      if (base.number() != calibrated) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "CURRENT moved from generation %d to %d while calibrating; run calibrate again",
                calibrated,
                base.number()));
      }
      IndexMetadata baseMeta;
      try (OpenIndex open = IndexGenerations.open(base)) {
        baseMeta = open.metadata();
      }
      Generation gen = gens.newGenerationFrom(base);
      boolean published = false;
      try {
        try (FSDirectory dir = FSDirectory.open(gen.dir());
            IndexWriter writer =
                new IndexWriter(
                    dir,
                    LuceneGenerationStore.writerConfig(
                        baseMeta, org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND))) {
          IndexMetadata meta =
              baseMeta
                  .forCommit(
                      gen.number(),
                      baseMeta.products(),
                      baseMeta.images(),
                      baseMeta.catalogChecksum())
                  .withFusion(fusion);
          writer.setLiveCommitData(meta.toUserData().entrySet());
          writer.commit();
        }
        JobSupport.verifyBeforePublish(gen, baseMeta.products(), baseMeta.images());
        gens.publish(gen);
        published = true;
        LOG.info("published {} with fusion {}; pruned {}", gen.name(), fusion, gens.prune(keep));
        return gen;
      } finally {
        if (!published) {
          IndexBuilder.deleteQuietly(gen.dir());
        }
      }
    }
  }
}
