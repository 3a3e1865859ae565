package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.IndexSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an update starts from: the published generation copied server-side into the new one ({@code
 * _reindex}, the reindex module, polled as a task), and the published products' content hashes.
 */
final class GenerationCopy {
  /** How long {@link #reindex} waits for the server-side copy. */
  static final Duration REINDEX_BUDGET = Duration.ofHours(2);

  private static final int PAGE = 1000;

  private final EngineClient client;

  GenerationCopy(EngineClient client) {
    this.client = client;
  }

  /** Copies every document of {@code from} into {@code to} server-side and waits for it. */
  void reindex(String from, String to) throws IOException {
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
                  OpenSearchDraft.truncate(
                      t.has("error") ? t.get("error").toString() : failures.toString())));
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
    SourcePages.forEach(
        body -> client.call("POST", "/" + index + "/_search", body),
        PAGE,
        List.of(IndexSchema.PRODUCT_ID, IndexSchema.CONTENT_HASH),
        h -> {
          JsonNode s = h.path("_source");
          hashes.put(
              s.path(IndexSchema.PRODUCT_ID).asText(), s.path(IndexSchema.CONTENT_HASH).asText(""));
        });
    return hashes;
  }

  private static void sleep(Duration d) throws IOException {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
