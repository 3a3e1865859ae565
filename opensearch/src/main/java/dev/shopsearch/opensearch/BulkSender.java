package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;

/** Sends one NDJSON {@code _bulk} body to an index and returns the engine's answer. */
@FunctionalInterface
public interface BulkSender {
  /**
   * @throws EngineException when the whole request fails
   */
  JsonNode send(String index, String ndjson);

  /** The real thing: {@code POST /index/_bulk}. */
  static BulkSender of(EngineClient client) {
    return (index, ndjson) -> client.ndjson("/" + index + "/_bulk", ndjson);
  }
}
