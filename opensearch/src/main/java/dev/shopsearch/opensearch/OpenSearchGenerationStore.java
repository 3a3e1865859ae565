package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.GenerationStore;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /** Longest engine reason copied into a reject line. */
  static final int MAX_REASON_CHARS = 500;

  /** How long {@link #copyOfCurrent} waits for the server-side copy of the live generation. */
  public static final Duration REINDEX_BUDGET = Duration.ofHours(2);

  private static final int PAGE = 1000;

  private final EngineClient client;
  private final IndexLayout layout;
  private final BulkWriter writer;
  private final int flushSize;
  private final Generations generations;
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
    this.where = where;
  }

  @Override
  public GenerationDraft create(IndexMetadata metadata, ProductRefusals refusals)
      throws IOException {
    try {
      String index = generations.create(metadata);
      dropLeftovers(index);
      return new Draft(index, null, Map.of(), metadata.dim(), refusals);
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
      index = generations.create(base);
      dropLeftovers(index);
      reindex(current, index);
      Map<String, String> hashes = contentHashes(current);
      LOG.info("copied {} ({} products) into {}", current, hashes.size(), index);
      return new Draft(index, base, hashes, base.dim(), refusals);
    } catch (EngineException | IOException e) {
      if (index != null) {
        deleteQuietly(index);
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

  /** Copies every document of {@code from} into {@code to} server-side and waits for it. */
  private void reindex(String from, String to) throws IOException {
    ObjectNode body = EngineClient.json().createObjectNode();
    body.putObject("source").put("index", from).put("size", PAGE);
    body.putObject("dest").put("index", to);
    String task =
        client.call("POST", "/_reindex?wait_for_completion=false", body).path("task").asText();
    long deadline = System.nanoTime() + REINDEX_BUDGET.toNanos();
    while (true) {
      JsonNode t = client.call("GET", "/_tasks/" + task, null);
      if (t.path("completed").asBoolean()) {
        JsonNode failures = t.path("response").path("failures");
        if (t.has("error") || (failures.isArray() && !failures.isEmpty())) {
          throw new IOException(
              String.format(
                  Locale.ROOT,
                  "copying %s into %s failed: %s",
                  from,
                  to,
                  truncate(t.has("error") ? t.get("error").toString() : failures.toString())));
        }
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(
            String.format(
                Locale.ROOT,
                "copying %s into %s did not finish within %d min (task %s)",
                from,
                to,
                REINDEX_BUDGET.toMinutes(),
                task));
      }
      sleep(Duration.ofMillis(200));
    }
  }

  /** {@code product_id → content_hash} of every product in {@code index}, paged by id. */
  Map<String, String> contentHashes(String index) {
    Map<String, String> hashes = new HashMap<>();
    String after = null;
    while (true) {
      ObjectNode body = EngineClient.json().createObjectNode();
      body.put("size", PAGE);
      body.put("track_total_hits", false);
      ArrayNode source = body.putArray("_source");
      source.add(IndexSchema.PRODUCT_ID).add(IndexSchema.CONTENT_HASH);
      body.putArray("sort").addObject().put(IndexSchema.PRODUCT_ID, "asc");
      if (after != null) {
        body.putArray("search_after").add(after);
      }
      JsonNode hits = client.call("POST", "/" + index + "/_search", body).path("hits").path("hits");
      if (hits.isEmpty()) {
        return hashes;
      }
      for (JsonNode h : hits) {
        JsonNode s = h.path("_source");
        after = s.path(IndexSchema.PRODUCT_ID).asText();
        hashes.put(after, s.path(IndexSchema.CONTENT_HASH).asText(""));
      }
    }
  }

  private void deleteQuietly(String index) {
    try {
      client.call("DELETE", "/" + index, null);
    } catch (EngineException e) {
      LOG.warn("could not delete unpublished generation {}: {}", index, e.getMessage());
    }
  }

  private static String truncate(String s) {
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS - 1) + "…";
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private final class Draft implements GenerationDraft {
    private final String index;
    private final long number;
    private final IndexMetadata base;
    private final Map<String, String> baseHashes;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();
    private final ProductJson json;
    private final ProductRefusals refusals;
    private final Map<String, Product> buffered = new LinkedHashMap<>();
    private final List<ObjectNode> buffer = new ArrayList<>();
    private boolean published;

    Draft(
        String index,
        IndexMetadata base,
        Map<String, String> baseHashes,
        int dim,
        ProductRefusals refusals) {
      this.index = index;
      this.number = generations.number(index);
      this.base = base;
      this.baseHashes = baseHashes;
      this.json = new ProductJson(dim);
      this.refusals = refusals;
    }

    @Override
    public long number() {
      return number;
    }

    @Override
    public String name() {
      return index;
    }

    @Override
    public Optional<IndexMetadata> base() {
      return Optional.ofNullable(base);
    }

    @Override
    public boolean unchanged(String productId, String contentHash) {
      if (contentHash != null && contentHash.equals(baseHashes.get(productId))) {
        kept.add(productId);
        return true;
      }
      return false;
    }

    @Override
    public boolean put(Product product, List<ImageVector> images, String contentHash)
        throws IOException {
      ObjectNode doc;
      try {
        doc = json.document(product, images, contentHash);
      } catch (IllegalArgumentException e) {
        refusals.refused(product, "the index refused the product's document: " + e.getMessage());
        return false;
      }
      buffer.add(doc);
      buffered.put(product.id(), product);
      kept.add(product.id());
      if (buffer.size() >= flushSize) {
        flush();
      }
      return true;
    }

    private void flush() throws IOException {
      if (buffer.isEmpty()) {
        return;
      }
      List<BulkReject> rejects;
      try {
        rejects = writer.write(index, buffer);
      } catch (EngineException e) {
        throw new IOException(e.getMessage(), e);
      }
      for (BulkReject r : rejects) {
        Product p = buffered.get(r.productId());
        kept.remove(r.productId()); // an update deletes its old version with the products gone
        if (p != null) {
          refusals.refused(
              p,
              String.format(
                  Locale.ROOT,
                  "OpenSearch refused the product's document (status %d): %s",
                  r.status(),
                  truncate(r.reason())));
        }
      }
      buffer.clear();
      buffered.clear();
    }

    @Override
    public long deleteRemoved() throws IOException {
      flush();
      List<String> gone = new ArrayList<>();
      for (String id : baseHashes.keySet()) {
        if (!kept.contains(id)) {
          gone.add(id);
        }
      }
      try {
        List<BulkReject> failed = writer.delete(index, gone);
        if (!failed.isEmpty()) {
          throw new IOException(
              String.format(
                  Locale.ROOT,
                  "%d deletes refused in %s, e.g. %s",
                  failed.size(),
                  index,
                  truncate(failed.get(0).toString())));
        }
      } catch (EngineException e) {
        throw new IOException(e.getMessage(), e);
      }
      return gone.size();
    }

    @Override
    public Counts counts() throws IOException {
      flush();
      try {
        client.call("POST", "/" + index + "/_refresh", null);
        // with segment replication a replica copies the refreshed segments asynchronously: count
        // once every copy holds what its primary holds, whichever copy answers
        generations.awaitCopiesCaughtUp(index);
        long products = client.call("GET", "/" + index + "/_count", null).path("count").asLong();
        ObjectNode body = EngineClient.json().createObjectNode();
        body.put("size", 0);
        body.putObject("aggs")
            .putObject("images")
            .putObject("nested")
            .put("path", IndexMapping.IMAGES);
        long images =
            client
                .call("POST", "/" + index + "/_search", body)
                .path("aggregations")
                .path("images")
                .path("doc_count")
                .asLong();
        return new Counts(products, images);
      } catch (EngineException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public List<String> publish(IndexMetadata metadata, int keepGenerations) throws IOException {
      try {
        Counts counts = counts();
        if (metadata.generation() != number
            || metadata.products() != counts.products()
            || metadata.images() != counts.images()) {
          throw new IOException(
              String.format(
                  Locale.ROOT,
                  "%s holds %d products / %d images; metadata says generation %d with %d / %d;"
                      + " alias not moved",
                  index,
                  counts.products(),
                  counts.images(),
                  metadata.generation(),
                  metadata.products(),
                  metadata.images()));
        }
        ObjectNode body = EngineClient.json().createObjectNode();
        ObjectNode meta = body.putObject("_meta");
        metadata.toUserData().forEach(meta::put);
        client.call("PUT", "/" + index + "/_mapping", body);
        IndexMetadata stored = generations.metadata(index);
        if (stored.generation() != metadata.generation()
            || stored.products() != metadata.products()
            || stored.images() != metadata.images()
            || stored.schemaVersion() != metadata.schemaVersion()
            || !stored.modelHash().equals(metadata.modelHash())) {
          throw new IOException(index + ": _meta did not read back as written; alias not moved");
        }
        generations.publish(index);
        published = true;
        return generations.prune(keepGenerations);
      } catch (EngineException e) {
        throw new IOException(e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      if (!published) {
        deleteQuietly(index);
      }
    }
  }
}
