package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BulkWriterTest {
  private static final BulkConfig CONFIG =
      new BulkConfig(3, 2, 3, Duration.ofMillis(100), Duration.ofMillis(250));

  private static List<ObjectNode> docs(int n) {
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(EngineClient.json().createObjectNode().put("product_id", "p" + i));
    }
    return out;
  }

  /** An answer with one item per document line, status chosen per id. */
  private static JsonNode answer(String ndjson, Function<String, Integer> status) {
    ObjectNode a = EngineClient.json().createObjectNode();
    ArrayNode items = a.putArray("items");
    String[] lines = ndjson.split("\n");
    for (int i = 0; i < lines.length; i += 2) {
      try {
        String id = EngineClient.json().readTree(lines[i]).at("/index/_id").asText();
        ObjectNode item = items.addObject().putObject("index");
        int code = status.apply(id);
        item.put("_id", id).put("status", code);
        if (code >= 400) {
          item.putObject("error").put("reason", "because " + id);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return a;
  }

  @Test
  void retriesOnlyThe429ItemsWithGrowingBackoffAndReturnsPermanentRejects() {
    Set<String> written = ConcurrentHashMap.newKeySet();
    AtomicInteger p1Tries = new AtomicInteger();
    List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    BulkSender sender =
        (index, ndjson) ->
            answer(
                ndjson,
                id -> {
                  if (id.equals("p1") && p1Tries.incrementAndGet() <= 2) {
                    return 429;
                  }
                  if (id.equals("p4")) {
                    return 400;
                  }
                  written.add(id);
                  return 201;
                });
    List<BulkReject> rejects = new BulkWriter(sender, CONFIG, pauses::add).write("idx", docs(7));

    assertThat(written).containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p5", "p6");
    assertThat(p1Tries).hasValue(3);
    assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(rejects)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.productId()).isEqualTo("p4");
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.reason()).contains("because p4");
            });
  }

  @Test
  void aWholeRequestFailingWith503IsRetriedThenGivesUpNamingTheLimit() {
    AtomicInteger calls = new AtomicInteger();
    List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    BulkSender sender =
        (index, ndjson) -> {
          calls.incrementAndGet();
          throw new EngineException(503, "unavailable", null);
        };
    assertThatThrownBy(() -> new BulkWriter(sender, CONFIG, pauses::add).write("idx", docs(2)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("after 3 retries")
        .hasMessageContaining("unavailable");
    assertThat(calls).hasValue(4);
    assertThat(pauses)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
  }

  @Test
  void aPermanentRequestErrorIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();
    BulkSender sender =
        (index, ndjson) -> {
          calls.incrementAndGet();
          throw new EngineException(400, "bad request", null);
        };
    assertThatThrownBy(() -> new BulkWriter(sender, CONFIG, d -> {}).write("idx", docs(2)))
        .hasMessageContaining("bad request");
    assertThat(calls).hasValue(1);
  }

  @Test
  void neverMoreRequestsInFlightThanTheConcurrency() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    BulkSender sender =
        (index, ndjson) -> {
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          Thread.yield();
          inFlight.decrementAndGet();
          return answer(ndjson, id -> 201);
        };
    new BulkWriter(sender, CONFIG, d -> {}).write("idx", docs(60));
    assertThat(maxInFlight.get()).isBetween(1, CONFIG.concurrency());
  }

  @Test
  void deletesSendDeleteActionsCountMissingIdsAsDeletedAndRetry5xx() {
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger p1Tries = new AtomicInteger();
    List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    BulkSender sender =
        (index, ndjson) -> {
          bodies.add(ndjson);
          ObjectNode a = EngineClient.json().createObjectNode();
          ArrayNode items = a.putArray("items");
          for (String line : ndjson.split("\n")) {
            try {
              JsonNode action = EngineClient.json().readTree(line);
              assertThat(action.has("delete")).as(line).isTrue();
              String id = action.at("/delete/_id").asText();
              int code =
                  switch (id) {
                    case "gone" -> 404;
                    case "p1" -> p1Tries.incrementAndGet() == 1 ? 503 : 200;
                    case "locked" -> 403;
                    default -> 200;
                  };
              items.addObject().putObject("delete").put("_id", id).put("status", code);
            } catch (java.io.IOException e) {
              throw new IllegalStateException(e);
            }
          }
          return a;
        };
    List<BulkReject> rejects =
        new BulkWriter(sender, CONFIG, pauses::add)
            .delete("idx", List.of("p0", "p1", "gone", "locked"));
    assertThat(rejects).extracting(BulkReject::productId).containsExactly("locked");
    assertThat(p1Tries).hasValue(2);
    assertThat(pauses).containsExactly(Duration.ofMillis(100));
    // delete lines only: no document bodies follow them
    assertThat(String.join("", bodies).lines()).allMatch(l -> l.startsWith("{\"delete\""));
  }
}
