package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generations as versioned indices {@code alias-gen-NNNNNN} behind one alias, the OpenSearch
 * equivalent of the embedded backend's {@code gen-NNNNNN} directories and {@code CURRENT} pointer:
 * a build writes into a new index ({@link #create}) that no query sees; {@link #publish} refreshes
 * it and moves the alias in one atomic {@code _aliases} call; {@link #prune} deletes old
 * generations. A build that dies before {@link #publish} leaves the alias where it was.
 */
public final class Generations {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Generations.class);

  private final EngineClient client;
  private final IndexLayout layout;
  private final Pattern namePattern;

  public Generations(EngineClient client, IndexLayout layout) {
    this.client = client;
    this.layout = layout;
    this.namePattern = Pattern.compile(Pattern.quote(layout.alias()) + "-gen-(\\d{6})");
  }

  /**
   * Deletes an unpublished generation's index, logging (not throwing) a failure: a leftover is
   * deleted by the next run ({@link #deleteLeftovers}).
   */
  public void discard(String index) {
    try {
      client.call("DELETE", "/" + index, null);
    } catch (EngineException e) {
      LOG.warn("could not delete unpublished generation {}: {}", index, e.getMessage());
    }
  }

  /** The index name of a generation. */
  public String indexName(long generation) {
    return String.format(Locale.ROOT, "%s-gen-%06d", layout.alias(), generation);
  }

  /**
   * The generation number of one of this alias's generation indices.
   *
   * @throws IllegalArgumentException when {@code index} is not one
   */
  public long number(String index) {
    Matcher m = namePattern.matcher(index);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a generation of alias " + layout.alias() + ": " + index);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Deletes the generations above the published one but {@code keep}: leftovers of runs that died
   * before they published (a {@code kill -9} mid-bulk). Called by the one writer of this alias
   * after it created its generation {@code keep}, so generation numbers are never reused.
   *
   * @return the deleted index names
   */
  public List<String> deleteLeftovers(String keep) {
    long published = current().map(this::number).orElse(0L);
    List<String> deleted = new ArrayList<>();
    for (long g : existing()) {
      if (g > published && !indexName(g).equals(keep)) {
        client.call("DELETE", "/" + indexName(g), null);
        deleted.add(indexName(g));
      }
    }
    return deleted;
  }

  /** Every generation index that exists, oldest first. */
  public List<Long> existing() {
    JsonNode indices =
        client.call("GET", "/_cat/indices/" + layout.alias() + "-gen-*?format=json", null);
    List<Long> gens = new ArrayList<>();
    for (JsonNode i : indices) {
      Matcher m = namePattern.matcher(i.path("index").asText());
      if (m.matches()) {
        gens.add(Long.parseLong(m.group(1)));
      }
    }
    gens.sort(null);
    return gens;
  }

  /** The index the alias points to, if any. */
  public Optional<String> current() {
    if (!client.exists("/_alias/" + layout.alias())) {
      return Optional.empty();
    }
    JsonNode answer = client.call("GET", "/_alias/" + layout.alias(), null);
    Iterator<String> names = answer.fieldNames();
    return names.hasNext() ? Optional.of(names.next()) : Optional.empty();
  }

  /**
   * Creates the next generation's index (one above the highest that exists) with the mapping of
   * {@link IndexMapping}; the metadata's generation number is replaced by the new one.
   *
   * @return the new index name
   */
  public String create(IndexMetadata metadata) {
    long next = existing().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    IndexMetadata forGen =
        metadata.forCommit(
            next, metadata.products(), metadata.images(), metadata.catalogChecksum());
    String index = indexName(next);
    ObjectNode body = IndexMapping.createIndexBody(forGen, layout);
    ((ObjectNode) body.path("mappings").path("_meta"))
        .put(IndexMapping.FINGERPRINT_KEY, IndexMapping.fingerprint(forGen, layout));
    client.call("PUT", "/" + index, body);
    client.call("GET", "/_cluster/health/" + index + "?wait_for_status=yellow&timeout=20s", null);
    return index;
  }

  /**
   * Creates the next generation as a {@code _clone} of {@code source} when {@code source} has the
   * shape this layout would create for {@code metadata} (equal {@link IndexMapping#fingerprint}s):
   * no document is re-indexed and the HNSW graphs are kept, the shards' files hard-linked (or
   * copied) on the nodes holding them, as the embedded backend hard-links a generation. {@code
   * source} is write-blocked first (a published generation is never written again, and {@code
   * _clone} requires it); the clone is writable, with the layout's replicas. Empty when the shapes
   * differ (another shard count, an older mapping): the caller creates and re-indexes instead,
   * which also migrates the mapping.
   *
   * @return the new index name, or empty
   */
  public Optional<String> cloneOf(String source, IndexMetadata metadata) {
    String stored = metaValue(source, IndexMapping.FINGERPRINT_KEY);
    String wanted = IndexMapping.fingerprint(metadata, layout);
    if (!wanted.equals(stored)) {
      LOG.info(
          "{} has index shape {}, this layout makes {}: re-indexing instead of cloning",
          source,
          stored,
          wanted);
      return Optional.empty();
    }
    ObjectNode block = EngineClient.json().createObjectNode();
    block.putObject("index").putObject("blocks").put("write", true);
    client.call("PUT", "/" + source + "/_settings", block);
    long next = existing().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    String index = indexName(next);
    ObjectNode body = EngineClient.json().createObjectNode();
    ObjectNode settings = body.putObject("settings").putObject("index");
    settings.put("number_of_replicas", layout.replicas());
    settings.putNull("blocks.write");
    client.call("POST", "/" + source + "/_clone/" + index, body);
    awaitGreen(index, CLONE_BUDGET);
    return Optional.of(index);
  }

  /**
   * How long {@link #cloneOf} waits for every copy of the clone: its primaries recover from the
   * source's files on their own nodes (hard links), its replicas copy them over the network, which
   * for a large generation can take longer than {@link #CATCH_UP_BUDGET}.
   */
  public static final java.time.Duration CLONE_BUDGET = java.time.Duration.ofHours(2);

  private void awaitGreen(String index, java.time.Duration budget) {
    long deadline = System.nanoTime() + budget.toNanos();
    while (true) {
      String status;
      try {
        status =
            client
                .call(
                    "GET",
                    "/_cluster/health/" + index + "?wait_for_status=green&timeout=30s",
                    null,
                    java.time.Duration.ofSeconds(60))
                .path("status")
                .asText();
      } catch (EngineException e) {
        if (e.status() != 408) {
          throw e;
        }
        status = "not green after 30 s"; // the health call's own timeout: ask again
      }
      if ("green".equals(status)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new EngineException(
            503,
            String.format(
                Locale.ROOT,
                "the clone %s was not green within %d min (health %s); alias not moved",
                index,
                budget.toMinutes(),
                status),
            null);
      }
    }
  }

  /** One value of an index's {@code _meta}, or null. */
  public String metaValue(String index, String key) {
    JsonNode v =
        client
            .call("GET", "/" + index + "/_mapping", null)
            .path(index)
            .path("mappings")
            .path("_meta")
            .path(key);
    return v.isTextual() ? v.asText() : null;
  }

  /**
   * Makes {@code index} the published generation: refresh, then one atomic {@code _aliases} call
   * that removes the alias from the old generation and adds it to the new one.
   */
  public void publish(String index) {
    if (!namePattern.matcher(index).matches()) {
      throw new IllegalArgumentException(
          "not a generation of alias " + layout.alias() + ": " + index);
    }
    client.call("POST", "/" + index + "/_refresh", null);
    awaitCopiesCaughtUp(index);
    ObjectNode body = EngineClient.json().createObjectNode();
    ArrayNode actions = body.putArray("actions");
    Optional<String> old = current();
    old.filter(o -> !o.equals(index))
        .ifPresent(
            o ->
                actions
                    .addObject()
                    .putObject("remove")
                    .put("index", o)
                    .put("alias", layout.alias()));
    actions.addObject().putObject("add").put("index", index).put("alias", layout.alias());
    client.call("POST", "/_aliases", body);
  }

  /**
   * Waits (up to {@link #CATCH_UP_BUDGET}) until every replica is assigned and holds as many
   * documents as its primary, so that no copy answers from an older state once the alias moves
   * (with segment replication a replica copies segments asynchronously after a refresh).
   *
   * @throws EngineException naming the counts when the copies do not catch up in time
   */
  public void awaitCopiesCaughtUp(String index) {
    long deadline = System.nanoTime() + CATCH_UP_BUDGET.toNanos();
    String last = "";
    while (true) {
      JsonNode all = client.call("GET", "/" + index + "/_stats/docs", null).path("_all");
      long primaries = all.path("primaries").path("docs").path("count").asLong();
      long total = all.path("total").path("docs").path("count").asLong();
      String health = client.call("GET", "/_cluster/health/" + index, null).path("status").asText();
      if ("green".equals(health) && total == primaries * (1 + layout.replicas())) {
        return;
      }
      last = "health=" + health + " primaries=" + primaries + " total=" + total;
      if (System.nanoTime() > deadline) {
        throw new EngineException(
            503,
            String.format(
                Locale.ROOT,
                "replicas of %s did not catch up within %d s (%s, replicas=%d); alias not moved",
                index,
                CATCH_UP_BUDGET.toSeconds(),
                last,
                layout.replicas()),
            null);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EngineException(0, "interrupted while waiting for replicas of " + index, e);
      }
    }
  }

  /** How long {@link #publish} waits for replicas to hold the new generation. */
  public static final java.time.Duration CATCH_UP_BUDGET = java.time.Duration.ofSeconds(120);

  /**
   * Deletes generations beyond the newest {@link IndexLayout#keepGenerations()}, never the
   * published one.
   *
   * @return the deleted index names
   */
  public List<String> prune() {
    return prune(layout.keepGenerations());
  }

  /**
   * Deletes generations beyond the newest {@code keep}, never the published one.
   *
   * @return the deleted index names
   */
  public List<String> prune(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1; keep=" + keep);
    }
    Optional<String> published = current();
    List<Long> gens = existing();
    List<String> deleted = new ArrayList<>();
    for (int i = 0; i < gens.size() - keep; i++) {
      String name = indexName(gens.get(i));
      if (published.filter(name::equals).isEmpty()) {
        client.call("DELETE", "/" + name, null);
        deleted.add(name);
      }
    }
    return deleted;
  }

  /**
   * The layout {@code index} was created with (its shards, replicas and replication type), under
   * this layout's alias and pruning: what a copy of the published generation is created with, so
   * that a copy keeps the shape a build chose.
   */
  public IndexLayout layoutOf(String index) {
    JsonNode settings =
        client
            .call("GET", "/" + index + "/_settings", null)
            .path(index)
            .path("settings")
            .path("index");
    return new IndexLayout(
        layout.alias(),
        settings.path("number_of_shards").asInt(layout.shards()),
        settings.path("number_of_replicas").asInt(layout.replicas()),
        "SEGMENT".equals(settings.path("replication").path("type").asText()),
        layout.keepGenerations());
  }

  /** The {@code _meta} of an index (core's {@link IndexMetadata} keys), parsed. */
  public IndexMetadata metadata(String index) {
    JsonNode meta = client.call("GET", "/" + index + "/_mapping", null).path(index);
    java.util.Map<String, String> userData = new java.util.LinkedHashMap<>();
    meta.path("mappings")
        .path("_meta")
        .fields()
        .forEachRemaining(e -> userData.put(e.getKey(), e.getValue().asText()));
    return IndexMetadata.fromUserData(userData);
  }
}
