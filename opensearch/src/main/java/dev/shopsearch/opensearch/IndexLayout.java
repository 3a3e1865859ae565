package dev.shopsearch.opensearch;

import java.util.Locale;

/**
 * Where and how the product index lives in the cluster.
 *
 * @param alias the alias queries go to; generations are indices {@code alias-gen-NNNNNN}
 * @param shards primary shards per generation, in [1, 64]
 * @param replicas replicas per shard, in [0, 8]
 * @param segmentReplication {@code index.replication.type: SEGMENT} (replicas copy segments, so
 *     every copy answers with the same HNSW graph)
 * @param keepGenerations how many generations (the published one included) pruning keeps, >= 1
 */
public record IndexLayout(
    String alias, int shards, int replicas, boolean segmentReplication, int keepGenerations) {
  public IndexLayout {
    if (alias == null || !alias.matches("[a-z0-9][a-z0-9_-]{0,100}")) {
      throw new IllegalArgumentException(
          "alias must be lower-case letters, digits, '_' or '-' (at most 101); alias=" + alias);
    }
    check("shards", shards, 1, 64);
    check("replicas", replicas, 0, 8);
    check("keepGenerations", keepGenerations, 1, 100);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%d, %d]; %s=%d", name, min, max, name, value));
    }
  }
}
