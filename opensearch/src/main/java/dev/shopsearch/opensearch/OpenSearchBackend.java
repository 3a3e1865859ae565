package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.search.BackendUnavailableException;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.SearchBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * OpenSearch as a {@link SearchBackend}: the generation the alias points to. Each {@link #acquire}
 * resolves the alias once, so a request sees one generation however the alias moves meanwhile. The
 * metadata ({@code _meta}) and attribute names of a generation are read once and checked by the
 * guard (the model guard: an index built by another model is refused) before it is served.
 * Thread-safe.
 */
public final class OpenSearchBackend implements SearchBackend {
  private final EngineClient client;
  private final Generations generations;
  private final Consumer<IndexMetadata> guard;
  private final Map<String, Served> served = new ConcurrentHashMap<>();
  private volatile boolean lastAcquireServed;

  /**
   * What is read once per generation index; {@code spelling} is null when its mapping has no
   * spelling field.
   */
  private record Served(
      IndexMetadata metadata,
      List<String> attributes,
      boolean textVectors,
      boolean refDocValues,
      SpellingCache spelling) {}

  /**
   * @param guard refuses (throws) the metadata of a generation this service must not serve
   */
  public OpenSearchBackend(
      EngineClient client, Generations generations, Consumer<IndexMetadata> guard) {
    this.client = client;
    this.generations = generations;
    this.guard = guard;
  }

  /**
   * True while the last {@link #acquire} succeeded (no call: the query path asks this on every
   * request); otherwise the full check of {@link #notReadyReason}, so that a recovered cluster is
   * seen again by itself.
   */
  @Override
  public boolean ready() {
    return lastAcquireServed || notReadyReason() == null;
  }

  /**
   * Null when the cluster answers, its health is not red, and the alias names a generation the
   * guard accepts; else the reason (the engine's error, "health is red", no generation, the guard's
   * refusal).
   */
  @Override
  public String notReadyReason() {
    try {
      JsonNode health = client.call("GET", "/_cluster/health", null);
      String status = health.path("status").asText("unknown");
      if ("red".equals(status)) {
        return "OpenSearch cluster health is red";
      }
      acquire().close();
      return null;
    } catch (EngineException e) {
      return OpenSearchIndexView.unavailable(e).getMessage();
    } catch (RuntimeException e) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
  }

  @Override
  public ProductIndexView acquire() {
    return acquire(() -> Long.MAX_VALUE);
  }

  /**
   * @throws BackendUnavailableException when the cluster cannot be reached or answers 429/5xx, or
   *     the alias names no generation
   * @throws RuntimeException the guard's refusal of the published generation
   */
  @Override
  public ProductIndexView acquire(LongSupplier remainingNanos) {
    String index;
    try {
      index =
          generations
              .current()
              .orElseThrow(
                  () ->
                      new BackendUnavailableException(
                          "no OpenSearch index generation is published (the alias names none)",
                          null));
    } catch (EngineException e) {
      lastAcquireServed = false;
      throw OpenSearchIndexView.unavailable(e);
    } catch (BackendUnavailableException e) {
      lastAcquireServed = false;
      throw e;
    }
    Served s = served.get(index);
    if (s == null) {
      try {
        s = load(index);
      } catch (EngineException e) {
        lastAcquireServed = false;
        throw OpenSearchIndexView.unavailable(e);
      } catch (RuntimeException e) {
        lastAcquireServed = false;
        throw e;
      }
      served.keySet().removeIf(k -> !k.equals(index)); // older generations are not searched again
      served.put(index, s);
    }
    lastAcquireServed = true;
    return new OpenSearchIndexView(
        client,
        index,
        s.metadata(),
        s.attributes(),
        s.textVectors(),
        s.refDocValues(),
        s.spelling(),
        remainingNanos);
  }

  private Served load(String index) {
    IndexMetadata metadata = generations.metadata(index);
    guard.accept(metadata);
    JsonNode properties =
        client
            .call("GET", "/" + index + "/_mapping", null)
            .path(index)
            .path("mappings")
            .path("properties");
    JsonNode attr = properties.path(IndexMapping.attrObject()).path("properties");
    List<String> names = new ArrayList<>();
    attr.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return new Served(
        metadata,
        names,
        hasTextVectors(index, properties),
        IndexMapping.imageRefDocValues(properties),
        properties.has(dev.shopsearch.core.index.IndexSchema.SPELLING)
            ? new SpellingCache()
            : null);
  }

  /**
   * Whether the generation has product text vectors: its mapping has {@link
   * IndexMapping#TEXT_VECTOR_FIELD} (generations written before it do not) and some product carries
   * one (a build with {@code --no-text-vectors} writes none), as the embedded backend asks whether
   * a segment has the field's vectors. Asked once per generation.
   */
  private boolean hasTextVectors(String index, JsonNode properties) {
    if (!"knn_vector"
        .equals(properties.path(IndexMapping.TEXT_VECTOR_FIELD).path("type").asText())) {
      return false;
    }
    ObjectNode body = EngineClient.json().createObjectNode();
    body.put("size", 0);
    body.put("track_total_hits", 1);
    body.putObject("query").putObject("exists").put("field", IndexMapping.TEXT_VECTOR_FIELD);
    return client
            .call("POST", "/" + index + "/_search", body)
            .path("hits")
            .path("total")
            .path("value")
            .asLong()
        > 0;
  }
}
