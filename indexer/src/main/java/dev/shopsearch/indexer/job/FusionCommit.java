package dev.shopsearch.indexer.job;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.GenerationStore;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records calibrated fusion settings the way every change to an index is made, on either backend: a
 * copy of the published generation ({@link GenerationStore#copyOfCurrent}: hard links of the
 * embedded generation under the writer lock; a server-side {@code _reindex} into a new OpenSearch
 * index) is published with the same documents and the settings in its metadata, after the backend's
 * checks (counts, metadata read back), by its atomic switch ({@code CURRENT} or the alias). The
 * service swaps to it like to any new generation; a crash leaves the old one served.
 */
public final class FusionCommit {
  private static final Logger LOG = LoggerFactory.getLogger(FusionCommit.class);

  private FusionCommit() {}

  /**
   * Publishes a copy of the published generation whose metadata carries {@code fusion}.
   *
   * @param store the backend's generations
   * @param calibrated the generation the settings were calibrated on; if another one is published
   *     now, nothing is published
   * @param fusion the settings
   * @param keep generations to keep when pruning
   * @return the published generation's number
   * @throws IOException when the published generation moved meanwhile or the copy fails its checks
   */
  public static long publish(
      GenerationStore store, long calibrated, FusionSettings fusion, int keep) throws IOException {
    try (GenerationDraft draft =
        store.copyOfCurrent(
            (product, reason) -> {
              throw new IllegalStateException(
                  "a copy writes no product; refused " + product.id() + ": " + reason);
            })) {
      IndexMetadata base =
          draft
              .base()
              .orElseThrow(() -> new IOException(store.describe() + ": the copy has no base"));
      if (base.generation() != calibrated) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: the published generation moved from %d to %d while calibrating; run calibrate"
                    + " again",
                store.describe(),
                calibrated,
                base.generation()));
      }
      GenerationDraft.Counts counts = draft.counts();
      if (counts.products() != base.products() || counts.images() != base.images()) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "%s: the copy %s holds %d products / %d images; generation %d says %d / %d",
                store.describe(),
                draft.name(),
                counts.products(),
                counts.images(),
                base.generation(),
                base.products(),
                base.images()));
      }
      IndexMetadata meta =
          base.forCommit(draft.number(), counts.products(), counts.images(), base.catalogChecksum())
              .withFusion(fusion);
      List<String> pruned = draft.publish(meta, keep);
      LOG.info("published {} with fusion {}; pruned {}", draft.name(), fusion, pruned);
      return draft.number();
    }
  }
}
