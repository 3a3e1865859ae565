package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One generation index being written ({@link OpenSearchGenerationStore}): documents buffered and
 * sent with the {@link BulkWriter}, refusals reported, the base's products kept or deleted, counts
 * taken once every copy caught up, and the atomic publish through {@link Generations}. Closing it
 * unpublished deletes the index.
 */
final class OpenSearchDraft implements GenerationDraft {
  /** Longest engine reason copied into a reject line. */
  static final int MAX_REASON_CHARS = 500;

  private final EngineClient client;
  private final Generations generations;
  private final BulkWriter writer;
  private final int flushSize;
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

  OpenSearchDraft(
      EngineClient client,
      Generations generations,
      BulkWriter writer,
      int flushSize,
      String index,
      IndexMetadata base,
      Map<String, String> baseHashes,
      int dim,
      ProductRefusals refusals) {
    this.client = client;
    this.generations = generations;
    this.writer = writer;
    this.flushSize = flushSize;
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
  public boolean put(
      Product product, List<ImageVector> images, String contentHash, float[] textVector)
      throws IOException {
    ObjectNode doc;
    try {
      doc = json.document(product, images, contentHash, textVector);
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
      String fingerprint = generations.metaValue(index, IndexMapping.FINGERPRINT_KEY);
      if (fingerprint != null) {
        meta.put(IndexMapping.FINGERPRINT_KEY, fingerprint); // the shape a copy is cloned by
      }
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
      generations.discard(index);
    }
  }

  /** {@code s}, cut to {@link #MAX_REASON_CHARS}. */
  static String truncate(String s) {
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS - 1) + "…";
  }
}
