package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes product documents into one index with {@code _bulk}: batches of {@link
 * BulkConfig#batchSize()}, at most {@link BulkConfig#concurrency()} requests in flight, and retries
 * with exponential backoff for a whole request that fails with 429/5xx/no answer and for the items
 * of an answer that failed with 429/5xx. Items refused for good (other 4xx) are returned as {@link
 * BulkReject}s. When retries run out the write fails with {@link EngineException}; the caller does
 * not publish the generation then.
 */
public final class BulkWriter {
  /** Pauses between retries; tests inject one that records instead of sleeping. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final BulkSender sender;
  private final BulkConfig config;
  private final Pause pause;

  public BulkWriter(BulkSender sender, BulkConfig config, Pause pause) {
    this.sender = sender;
    this.config = config;
    this.pause = pause;
  }

  /** A writer that sleeps between retries. */
  public BulkWriter(BulkSender sender, BulkConfig config) {
    this(sender, config, d -> Thread.sleep(d.toMillis()));
  }

  /**
   * Writes every document (id = {@link IndexSchema#PRODUCT_ID}) into {@code index}.
   *
   * @return the documents refused for good, in no particular order
   * @throws EngineException when a batch still fails after {@link BulkConfig#maxRetries()} retries
   */
  public List<BulkReject> write(String index, List<ObjectNode> documents) {
    List<Map.Entry<String, ObjectNode>> actions = new ArrayList<>(documents.size());
    for (ObjectNode d : documents) {
      actions.add(
          new AbstractMap.SimpleImmutableEntry<>(d.get(IndexSchema.PRODUCT_ID).asText(), d));
    }
    return send(index, actions);
  }

  /**
   * Deletes the documents with these ids from {@code index} (an id that is not there counts as
   * deleted), with the same batching, concurrency and retries as {@link #write}.
   *
   * @return the deletes refused for good
   */
  public List<BulkReject> delete(String index, List<String> ids) {
    List<Map.Entry<String, ObjectNode>> actions = new ArrayList<>(ids.size());
    for (String id : ids) {
      actions.add(new AbstractMap.SimpleEntry<>(id, null));
    }
    return send(index, actions);
  }

  private List<BulkReject> send(String index, List<Map.Entry<String, ObjectNode>> actions) {
    List<List<Map.Entry<String, ObjectNode>>> batches = new ArrayList<>();
    for (int i = 0; i < actions.size(); i += config.batchSize()) {
      batches.add(actions.subList(i, Math.min(actions.size(), i + config.batchSize())));
    }
    List<BulkReject> rejects = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(config.concurrency());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (List<Map.Entry<String, ObjectNode>> batch : batches) {
        futures.add(pool.submit(() -> rejects.addAll(writeBatch(index, batch))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(0, "bulk write into " + index + " interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new EngineException(0, "bulk write into " + index + " failed: " + e.getCause(), e);
    } finally {
      pool.shutdownNow();
    }
    return List.copyOf(rejects);
  }

  private List<BulkReject> writeBatch(String index, List<Map.Entry<String, ObjectNode>> batch) {
    Map<String, ObjectNode> pending = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectNode> a : batch) {
      pending.put(a.getKey(), a.getValue());
    }
    List<BulkReject> rejects = new ArrayList<>();
    String lastFailure = "";
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      if (attempt > 0) {
        pauseFor(config.backoff(attempt));
      }
      JsonNode answer;
      try {
        answer = sender.send(index, ndjson(index, pending));
      } catch (EngineException e) {
        if (!e.retryable()) {
          throw e;
        }
        lastFailure = e.getMessage();
        continue;
      }
      Map<String, ObjectNode> retry = new LinkedHashMap<>();
      for (JsonNode item : answer.path("items")) {
        boolean isDelete = item.has("delete");
        JsonNode result = isDelete ? item.path("delete") : item.path("index");
        String id = result.path("_id").asText();
        int status = result.path("status").asInt(0);
        if ((status >= 200 && status < 300) || (isDelete && status == 404)) {
          continue;
        }
        String reason = result.path("error").toString();
        if (EngineException.isRetryable(status)) {
          if (pending.containsKey(id)) {
            retry.put(id, pending.get(id));
          }
          lastFailure = "item " + id + " status " + status + ": " + reason;
        } else {
          rejects.add(new BulkReject(id, status, reason));
        }
      }
      if (retry.isEmpty()) {
        return rejects;
      }
      pending = retry;
    }
    throw new EngineException(
        429,
        String.format(
            Locale.ROOT,
            "bulk into %s: %d documents still failing after %d retries (maxRetries=%d); last: %s",
            index,
            pending.size(),
            config.maxRetries(),
            config.maxRetries(),
            lastFailure),
        null);
  }

  private void pauseFor(Duration d) {
    try {
      pause.pause(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(0, "bulk retry interrupted", e);
    }
  }

  private static String ndjson(String index, Map<String, ObjectNode> docs) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ObjectNode> e : docs.entrySet()) {
      ObjectNode action = EngineClient.json().createObjectNode();
      action
          .putObject(e.getValue() == null ? "delete" : "index")
          .put("_index", index)
          .put("_id", e.getKey());
      sb.append(action).append('\n');
      if (e.getValue() != null) {
        sb.append(e.getValue()).append('\n');
      }
    }
    return sb.toString();
  }
}
