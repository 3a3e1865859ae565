package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.service.index.IndexManager;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Index lifecycle through the real service: a new generation published under concurrent queries is
 * picked up with zero failed requests and the old reader closes; a generation built with another
 * model is refused while the old one keeps serving.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.index.watch-interval=50ms",
      "shopsearch.overload.deadline=30s",
      "shopsearch.overload.max-in-flight=64"
    })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexLifecycleTest {
  static final String HASH = "cafe0001";
  static Path root;

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    root = Files.createTempDirectory("shopsearch-swap");
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("a"));
    registry.add("shopsearch.index.root", root::toString);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired IndexManager indexManager;
  Http http;

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
  }

  @Test
  @Order(1)
  void swapUnderConcurrentQueriesFailsNoRequest() throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    List<String> failures = new CopyOnWriteArrayList<>();
    Set<Long> generations = ConcurrentHashMap.newKeySet();
    Set<Character> prefixes = ConcurrentHashMap.newKeySet();
    String[] queries = {"red dress", "blue jacket", "green", "black sneakers"};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.submit(
          () -> {
            int i = 0;
            while (!stop.get()) {
              String q = queries[(thread + i++) % queries.length].replace(' ', '+');
              Http.Response r = http.get("/v1/search?k=5&q=" + q);
              if (r.status() != 200) {
                failures.add(r.status() + " " + r.body());
                continue;
              }
              JsonNode body = r.json();
              generations.add(body.get("indexGeneration").asLong());
              body.get("hits").forEach(h -> prefixes.add(h.get("id").asText().charAt(0)));
              ok.incrementAndGet();
            }
          });
    }
    awaitCount(ok, 50);
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("b"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!generations.contains(2L) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    int atSwap = ok.get();
    awaitCount(ok, atSwap + 50);
    stop.set(true);
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(failures).isEmpty();
    assertThat(generations).containsExactlyInAnyOrder(1L, 2L);
    assertThat(prefixes).contains('a', 'b');
    JsonNode after = http.get("/v1/search?q=red+dress&k=3").json();
    assertThat(after.get("indexGeneration").asLong()).isEqualTo(2);
    after.get("hits").forEach(h -> assertThat(h.get("id").asText()).startsWith("b"));
    awaitOpenGenerations(1);
  }

  @Test
  @Order(2)
  void indexBuiltWithAnotherModelIsRefusedAndTheOldOneKeepsServing() throws Exception {
    long served = indexManager.servedGeneration().orElseThrow();
    TestIndex.publish(root, FakeClip.manifest("other-model-hash"), TestIndex.catalog("c"));
    Http management = new Http(managementPort);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String prom = "";
    while (System.nanoTime() < deadline) {
      prom = management.get("/actuator/prometheus").body();
      if (prom.contains("search_index_rejected_total{")) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(prom)
        .containsPattern(
            "search_index_rejected_total\\{[^}]*reason=\"model_mismatch\"[^}]*\\} 1\\.0");
    assertThat(indexManager.servedGeneration()).contains(served);
    assertThat(indexManager.lastError()).contains("model hash").contains("other-model-hash");
    JsonNode r = http.get("/v1/search?q=red+dress&k=3").json();
    assertThat(r.get("indexGeneration").asLong()).isEqualTo(served);
    r.get("hits").forEach(h -> assertThat(h.get("id").asText()).startsWith("b"));
    JsonNode readiness = management.get("/actuator/health/readiness").json();
    assertThat(readiness.get("status").asText()).isEqualTo("UP");
    Thread.sleep(200); // several watch intervals: the refusal is counted once, not per poll
    assertThat(management.get("/actuator/prometheus").body())
        .containsPattern(
            "search_index_rejected_total\\{[^}]*reason=\"model_mismatch\"[^}]*\\} 1\\.0");
  }

  private static void awaitCount(AtomicInteger counter, int target) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (counter.get() < target && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(counter.get()).isGreaterThanOrEqualTo(target);
  }

  private void awaitOpenGenerations(int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (indexManager.openGenerations() != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(indexManager.openGenerations()).isEqualTo(expected);
  }
}
