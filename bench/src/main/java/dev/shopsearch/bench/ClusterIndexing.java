package dev.shopsearch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.VectorFormat;
import dev.shopsearch.core.publish.GenerationDraft;
import dev.shopsearch.opensearch.BulkConfig;
import dev.shopsearch.opensearch.EngineClient;
import dev.shopsearch.opensearch.IndexLayout;
import dev.shopsearch.opensearch.OpenSearchGenerationStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@link BenchSetup}'s synthetic products into an OpenSearch cluster through the indexer's
 * own path ({@link OpenSearchGenerationStore}: one generation, bulk writer, checked publish under
 * the alias), optionally force-merges it, and reads the size the cluster stores.
 */
final class ClusterIndexing {
  private ClusterIndexing() {}

  /**
   * One published cluster generation.
   *
   * @param index the generation's index name
   * @param bulkSeconds create, every {@code _bulk}, and the checked publish (replicas caught up)
   * @param mergeSeconds the force-merge to one segment per shard copy (0 when not asked for)
   */
  record ClusterBuild(String index, double bulkSeconds, double mergeSeconds) {}

  /**
   * Store sizes from {@code _stats/store}.
   *
   * @param primaryBytes the primaries' store
   * @param totalBytes every copy's store (primaries and replicas)
   * @param segments segments over every copy
   */
  record StoreSize(long primaryBytes, long totalBytes, long segments) {}

  /**
   * Puts products {@code 0..products-1} of {@code vectors} (content hash {@code b<i>}, as the
   * embedded build) into a new generation of {@code layout} and publishes it, each product also
   * carrying a text vector (one of {@code vectors} that no image uses) when {@code textVectors}.
   *
   * @throws IOException when the cluster refuses a product (named) or cannot be written
   */
  static ClusterBuild index(
      EngineClient client,
      IndexLayout layout,
      BulkConfig bulk,
      ModelBundle bundle,
      ClusteredVectors vectors,
      int products,
      VectorFormat format,
      boolean merge,
      boolean textVectors)
      throws IOException {
    long t0 = System.nanoTime();
    IndexMetadata model =
        IndexMetadata.forBundle(bundle.manifest(), format, HnswParams.DEFAULT, "synthetic");
    OpenSearchGenerationStore store =
        new OpenSearchGenerationStore(client, layout, bulk, "bench cluster");
    List<String> refused = new ArrayList<>();
    String index;
    try (GenerationDraft draft =
        store.create(model, (p, reason) -> refused.add(p.id() + ": " + reason))) {
      for (int i = 0; i < products; i++) {
        Product p = vectors.product(i);
        float[] v = vectors.vector(i);
        float[] text = textVectors ? vectors.vector(products + i) : null; // not an image's
        draft.put(p, List.of(new ImageVector(p.images().get(0), 0, v)), "b" + i, text);
      }
      GenerationDraft.Counts counts = draft.counts();
      if (!refused.isEmpty()) {
        throw new IOException(
            refused.size() + " products refused by the cluster, first: " + refused.get(0));
      }
      draft.publish(
          model.forCommit(draft.number(), counts.products(), counts.images(), "synthetic"),
          layout.keepGenerations());
      index = draft.name();
    }
    long bulked = System.nanoTime();
    if (merge) {
      client.call(
          "POST", "/" + index + "/_forcemerge?max_num_segments=1", null, Duration.ofMinutes(30));
      client.call("POST", "/" + index + "/_refresh", null);
    }
    awaitReplicas(client, index);
    return new ClusterBuild(index, (bulked - t0) / 1e9, (System.nanoTime() - bulked) / 1e9);
  }

  /**
   * Waits (at most two minutes) until every replica is assigned and, with segment replication,
   * holds about as many bytes as its primary, so that the store sizes and searches that follow see
   * the whole cluster and not a replica still copying (seen on a loaded machine: all copies
   * together as large as the primaries).
   */
  static void awaitReplicas(EngineClient client, String index) {
    JsonNode health =
        client.call(
            "GET",
            "/_cluster/health/" + index + "?wait_for_status=green&timeout=120s",
            null,
            Duration.ofMinutes(3));
    if (health.path("active_shards").asInt() <= health.path("active_primary_shards").asInt()) {
      return; // no replica (or none assigned in time): nothing to wait for
    }
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < end) {
      StoreSize size = storeSize(client, index);
      if (size.totalBytes() >= size.primaryBytes() * 3 / 2) {
        return;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The store sizes of {@code index} (after a refresh). */
  static StoreSize storeSize(EngineClient client, String index) {
    JsonNode all = client.call("GET", "/" + index + "/_stats/store,segments", null).path("_all");
    JsonNode primaries = all.path("primaries").path("store").path("size_in_bytes");
    JsonNode total = all.path("total").path("store").path("size_in_bytes");
    if (!primaries.isNumber() || !total.isNumber()) {
      throw new IllegalStateException(
          String.format(Locale.ROOT, "no store size in the _stats of %s: %s", index, all));
    }
    return new StoreSize(
        primaries.asLong(),
        total.asLong(),
        all.path("total").path("segments").path("count").asLong());
  }
}
