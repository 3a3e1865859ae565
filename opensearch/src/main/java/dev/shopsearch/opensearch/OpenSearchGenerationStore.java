package dev.shopsearch.opensearch;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenSearch {@link GenerationStore}: generations are the versioned indices of {@link
 * Generations} behind one alias.
 *
 * <ul>
 *   <li>{@link #create}: creates the next generation index (numbers are never reused) with the
 *       mapping and {@code _meta} of {@link IndexMapping}, then deletes the leftovers of dead runs
 *       (generations above the published one)
 *   <li>{@link #copyOfCurrent}: the same, then copies the published generation into it server-side
 *       ({@code _reindex}) and reads its {@code product_id → content_hash} pairs, so that an update
 *       writes only the products whose hash changed and deletes the ones gone
 *   <li>{@link GenerationDraft#put} buffers documents and sends them with the {@link BulkWriter}
 *       (bounded concurrency, retries with backoff on 429/5xx); items refused for good become
 *       {@code INDEX_REFUSED} rejects
 *   <li>{@link GenerationDraft#publish}: {@code _meta} replaced by the final metadata, refresh,
 *       counts checked ({@code _count}; nested image documents by aggregation), then {@link
 *       Generations#publish} (replicas caught up, one atomic {@code _aliases} call) and {@link
 *       Generations#prune(int)}
 * </ul>
 *
 * A draft closed unpublished deletes its index; a process killed mid-bulk leaves an index that no
 * alias names, deleted by the next run. One writer per alias at a time.
 */
public final class OpenSearchGenerationStore implements GenerationStore {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchGenerationStore.class);

  private final EngineClient client;
  private final IndexLayout layout;
  private final BulkWriter writer;
  private final int flushSize;
  private final Generations generations;
  private final GenerationCopy copy;
  private final String where;

  /**
   * @param client the cluster
   * @param layout alias, shards, replicas of each generation
   * @param bulk how documents are sent
   * @param where a description of the cluster for log lines (host:port list, never credentials)
   */
  public OpenSearchGenerationStore(
      EngineClient client, IndexLayout layout, BulkConfig bulk, String where) {
    this.client = client;
    this.layout = layout;
    this.writer = new BulkWriter(BulkSender.of(client), bulk);
    this.flushSize = bulk.batchSize() * bulk.concurrency();
    this.generations = new Generations(client, layout);
    this.copy = new GenerationCopy(client);
    this.where = where;
  }

  @Override
  public GenerationDraft create(IndexMetadata metadata, ProductRefusals refusals)
      throws IOException {
    try {
      String index = generations.create(metadata);
      dropLeftovers(index);
      return draft(index, null, Map.of(), metadata.dim(), refusals);
    } catch (EngineException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public GenerationDraft copyOfCurrent(ProductRefusals refusals) throws IOException {
    String current;
    IndexMetadata base;
    try {
      current =
          generations
              .current()
              .orElseThrow(
                  () ->
                      new EngineException(
                          404, "alias " + layout.alias() + " names no generation", null));
      base = generations.metadata(current);
    } catch (EngineException e) {
      if (e.status() == 404) {
        throw new NoSuchFileException(
            where + " alias " + layout.alias(), null, "nothing published yet; run build first");
      }
      throw new IOException(e.getMessage(), e);
    }
    String index = null;
    try {
      dropLeftovers(null);
      Optional<String> clone = generations.cloneOf(current, base);
      if (clone.isPresent()) {
        index = clone.get();
      } else {
        index = generations.create(base);
        copy.reindex(current, index);
      }
      Map<String, String> hashes = copy.contentHashes(current);
      LOG.info(
          "{} {} ({} products) into {}",
          clone.isPresent() ? "cloned" : "re-indexed",
          current,
          hashes.size(),
          index);
      return draft(index, base, hashes, base.dim(), refusals);
    } catch (EngineException | IOException e) {
      if (index != null) {
        generations.discard(index);
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return "opensearch " + where + " alias " + layout.alias();
  }

  private void dropLeftovers(String keep) {
    List<String> gone = generations.deleteLeftovers(keep);
    if (!gone.isEmpty()) {
      LOG.info("deleted unpublished generations of dead runs: {}", gone);
    }
  }

  private OpenSearchDraft draft(
      String index,
      IndexMetadata base,
      Map<String, String> hashes,
      int dim,
      ProductRefusals refusals) {
    return new OpenSearchDraft(
        client, generations, writer, flushSize, index, base, hashes, dim, refusals);
  }
}
