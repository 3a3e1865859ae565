package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestImages;
import dev.shopsearch.service.testing.TestIndex;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service on a random port over a real index generation built with the core index code:
 * search modes, filters inside kNN, one hit per product, paging, similar products, info, the
 * management port split and the metrics.
 */
@org.junit.jupiter.api.Tag("slow")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      // generous: these tests are about answers, not speed (the machine may be busy)
      "shopsearch.overload.deadline=30s",
      "shopsearch.index.watch-interval=100ms",
      "shopsearch.upload.max-bytes=200000",
      "shopsearch.consistency.threshold=0.5",
      "shopsearch.upload.allow-private-addresses=true",
      "shopsearch.upload.allowed-hosts=127.0.0.1",
      "shopsearch.cors.allowed-origins=http://shop.example"
    })
class SearchApiTest {
  static final String HASH = "aaaa1111";
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
    root = Files.createTempDirectory("shopsearch-api");
    TestIndex.publish(root, FakeClip.manifest(HASH), TestIndex.catalog("p"));
    registry.add("shopsearch.index.root", root::toString);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  Http http;

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
  }

  @Test
  void hybridSearchFindsTheMatchingProductFirstWithTimingsAndModel() {
    Http.Response r = http.get("/v1/search?q=red+dress&k=5");
    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("mode").asText()).isEqualTo("hybrid");
    JsonNode first = body.get("hits").get(0);
    assertThat(first.get("name").asText()).isEqualTo("red dress");
    assertThat(first.get("vectorRank").asInt()).isEqualTo(1);
    assertThat(first.get("lexicalRank").asInt()).isEqualTo(1);
    assertThat(first.get("imageUrl").asText()).startsWith("/images/images/");
    assertThat(first.get("matchedImage").asText())
        .startsWith("/images/images/" + first.get("id").asText());
    assertThat(body.get("timings").has("encode")).isTrue();
    assertThat(body.get("timings").has("knn")).isTrue();
    assertThat(body.get("timings").has("lexical")).isTrue();
    assertThat(body.get("timings").has("fusion")).isTrue();
    assertThat(body.get("fusion").get("strategy").asText()).isEqualTo("rrf");
    assertThat(body.get("fusion").get("source").asText()).isEqualTo("default");
    assertThat(body.get("model").get("name").asText()).isEqualTo("fake-clip");
    assertThat(body.get("model").get("hash").asText()).isEqualTo(HASH);
    assertThat(body.get("indexGeneration").asLong()).isEqualTo(1);
    assertThat(body.get("degraded").asBoolean()).isFalse();
  }

  @Test
  void vectorModeReturnsEachProductOnceDespiteSeveralImages() {
    JsonNode hits = http.get("/v1/search?q=blue+jacket&k=20&mode=vector").json().get("hits");
    assertThat(hits).hasSize(20);
    Set<String> ids = new HashSet<>();
    hits.forEach(h -> ids.add(h.get("id").asText()));
    assertThat(ids).hasSize(20);
    assertThat(hits.get(0).get("name").asText()).isEqualTo("blue jacket");
    assertThat(hits.get(0).has("lexicalRank")).isFalse();
  }

  @Test
  void filtersApplyInsideTheKnnQuery() {
    JsonNode hits =
        http.get("/v1/search?q=red+dress&k=50&mode=vector&colour=Blue&category=Women")
            .json()
            .get("hits");
    // Blue women's products: dress, sneakers, handbag.
    assertThat(hits).hasSize(3);
    hits.forEach(h -> assertThat(h.get("name").asText()).startsWith("blue "));
    JsonNode priced =
        http.get("/v1/search?q=shirt&k=50&mode=vector&minPrice=50&maxPrice=70").json().get("hits");
    assertThat(priced).isNotEmpty();
    priced.forEach(h -> assertThat(h.get("price").asDouble()).isBetween(50.0, 70.0));
    JsonNode men =
        http.get("/v1/search?q=dress&k=50&mode=vector&attr=gender:men").json().get("hits");
    assertThat(men).hasSize(8);
    men.forEach(h -> assertThat(h.get("name").asText()).containsAnyOf("shirt", "jacket"));
    JsonNode inStock =
        http.get("/v1/search?q=dress&k=50&mode=lexical&inStock=false").json().get("hits");
    inStock.forEach(
        h -> assertThat(Integer.parseInt(h.get("id").asText().substring(1)) % 4).isEqualTo(3));
  }

  @Test
  void postBodyMatchesGet() {
    JsonNode get = http.get("/v1/search?q=green+sneakers&k=3&colour=green").json();
    JsonNode post =
        http.postJson(
                "/v1/search",
                "{\"q\":\"green sneakers\",\"k\":3,\"filters\":{\"colour\":[\"green\"]}}")
            .json();
    assertThat(ids(post.get("hits"))).isEqualTo(ids(get.get("hits")));
    assertThat(post.get("hits").get(0).get("name").asText()).isEqualTo("green sneakers");
  }

  @Test
  void pagesDoNotOverlapAndConcatenateToTheLongerPage() {
    List<String> all = ids(http.get("/v1/search?q=black&k=10").json().get("hits"));
    List<String> p1 = ids(http.get("/v1/search?q=black&k=5").json().get("hits"));
    List<String> p2 = ids(http.get("/v1/search?q=black&k=5&offset=5").json().get("hits"));
    List<String> joined = new ArrayList<>(p1);
    joined.addAll(p2);
    assertThat(joined).isEqualTo(all).doesNotHaveDuplicates();
  }

  @Test
  void lexicalModeNeedsNoEncodeAndSecondQueryHitsTheCache() {
    JsonNode lexical = http.get("/v1/search?q=handbag&mode=lexical").json();
    assertThat(lexical.get("timings").has("encode")).isFalse();
    assertThat(lexical.get("hits")).hasSize(4);
    http.get("/v1/search?q=Cached%20Query%20Words");
    JsonNode again = http.get("/v1/search?q=cached++query+words").json();
    assertThat(again.get("embeddingCached").asBoolean()).isTrue();
  }

  @Test
  void similarUsesStoredVectorsAndExcludesTheProduct() {
    Http.Response r = http.get("/v1/products/p0/similar?k=3");
    assertThat(r.status()).isEqualTo(200);
    List<String> ids = ids(r.json().get("hits"));
    assertThat(ids).hasSize(3).doesNotContain("p0");
    Http.Response missing = http.get("/v1/products/nope/similar");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.header("Content-Type")).contains("application/problem+json");
  }

  @Test
  void infoDescribesModelAndIndex() {
    JsonNode info = http.get("/v1/info").json();
    assertThat(info.get("model").get("dim").asInt()).isEqualTo(FakeClip.DIM);
    assertThat(info.get("model").get("provider").asText()).isEqualTo("cpu");
    assertThat(info.get("index").get("generation").asLong()).isEqualTo(1);
    assertThat(info.get("index").get("products").asLong()).isEqualTo(20);
    assertThat(info.get("index").get("vectorFormat").asText()).isEqualTo("float");
    assertThat(info.get("index").get("fusion").get("source").asText()).isEqualTo("default");
    // built without product text vectors: served without the semantic list, and it says so
    assertThat(info.get("index").get("semanticList").asBoolean(true)).isFalse();
    assertThat(info.get("index").get("fusion").has("semanticWeight")).isFalse();
  }

  @Test
  void badParametersAreProblemDetailsNever500() {
    Http.Response r = http.get("/v1/search?q=x&k=0");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("parameter").asText()).isEqualTo("k");
    assertThat(r.json().get("detail").asText()).contains("[1, 100]").contains("0");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.");
    assertThat(http.get("/v1/search?q=x&k=abc").status()).isEqualTo(400);
    assertThat(http.get("/v1/search?q=x&maxPrice=cheap").status()).isEqualTo(400);
    assertThat(http.post("/v1/search", "text/plain", "q=x".getBytes()).status()).isEqualTo(415);
    assertThat(http.postJson("/v1/search", "{not json").status()).isEqualTo(400);
  }

  @Test
  void corsAllowsOnlyTheConfiguredOrigins() {
    Http.Response allowed = http.get("/v1/search?q=red", Map.of("Origin", "http://shop.example"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("http://shop.example");
    Http.Response other = http.get("/v1/search?q=red", Map.of("Origin", "http://evil.example"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void actuatorBeyondHealthStaysOnTheManagementPort() {
    Http management = new Http(managementPort);
    assertThat(management.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(http.get("/actuator/env").status()).isEqualTo(404);
    assertThat(http.get("/actuator/prometheus").status()).isEqualTo(404);
    assertThat(management.get("/actuator/env").status())
        .as("not exposed by default")
        .isEqualTo(404);
    http.get("/v1/search?q=red");
    String prom = management.get("/actuator/prometheus").body();
    assertThat(prom)
        .contains("search_stage_seconds_bucket{")
        .contains("stage=\"knn\"")
        .contains("search_request_seconds_count{")
        .contains("search_index_generation")
        .contains("search_model_info{")
        .contains("cache_gets_total{")
        .contains("search_inflight");
  }

  @Test
  void searchByPhotoFindsProductsOfItsColour() {
    Http.Response r =
        http.postMultipart(
            "/v1/search/image?k=4", Map.of("image", TestImages.png(Color.RED, 64, 1)), Map.of());
    assertThat(r.status()).isEqualTo(200);
    JsonNode hits = r.json().get("hits");
    assertThat(hits).hasSize(4);
    hits.forEach(h -> assertThat(h.get("name").asText()).startsWith("red "));
    assertThat(r.json().get("mode").asText()).isEqualTo("image");
    JsonNode filtered =
        http.postMultipart(
                "/v1/search/image?k=4&category=men/jackets",
                Map.of("image", TestImages.png(Color.BLUE, 64, 2)),
                Map.of())
            .json()
            .get("hits");
    assertThat(filtered.get(0).get("name").asText()).isEqualTo("blue jacket");
  }

  static List<Double> prices(JsonNode hits) {
    List<Double> out = new java.util.ArrayList<>();
    hits.forEach(h -> out.add(h.get("price").asDouble()));
    return out;
  }

  @Test
  void everySearchEndpointSortsPagesByCursorAndCountsFacets() {
    // GET: total, facets, sorted page, the cursor's page = the offset page
    JsonNode first =
        http.get("/v1/search?q=cotton&mode=lexical&facets=true&sort=price_asc&k=5").json();
    assertThat(first.get("total").asInt()).isEqualTo(20);
    assertThat(first.get("sort").asText()).isEqualTo("price_asc");
    assertThat(first.get("facets").get("colour")).hasSize(4);
    List<Double> p1 = prices(first.get("hits"));
    assertThat(p1).isSorted();
    String cursor = first.get("nextCursor").asText();
    JsonNode second =
        http.get("/v1/search?q=cotton&mode=lexical&sort=price_asc&k=5&cursor=" + cursor).json();
    assertThat(ids(second.get("hits")))
        .isEqualTo(
            ids(
                http.get("/v1/search?q=cotton&mode=lexical&sort=price_asc&k=5&offset=5")
                    .json()
                    .get("hits")));
    assertThat(second.get("total").asInt()).isEqualTo(20);
    assertThat(second.has("facets")).isFalse();
    // POST: the same
    JsonNode post =
        http.postJson(
                "/v1/search",
                "{\"q\":\"cotton\",\"mode\":\"lexical\",\"k\":5,\"sort\":\"price_asc\",\"cursor\":\""
                    + cursor
                    + "\"}")
            .json();
    assertThat(ids(post.get("hits"))).isEqualTo(ids(second.get("hits")));
    // a cursor of another query is a 400 naming it
    Http.Response other =
        http.get("/v1/search?q=linen&mode=lexical&sort=price_asc&cursor=" + cursor);
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.json().get("parameter").asText()).isEqualTo("cursor");

    // photo search: sorted, facets, cursor paging with the same photo
    byte[] photo = TestImages.png(Color.RED, 64, 1);
    JsonNode img =
        http.postMultipart(
                "/v1/search/image?k=5&sort=price_desc&facets=true",
                Map.of("image", photo),
                Map.of())
            .json();
    assertThat(prices(img.get("hits"))).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(img.get("facets").get("category")).isNotEmpty();
    JsonNode img2 =
        http.postMultipart(
                "/v1/search/image?k=5&sort=price_desc&cursor=" + img.get("nextCursor").asText(),
                Map.of("image", photo),
                Map.of())
            .json();
    assertThat(prices(img2.get("hits")).get(0)).isLessThanOrEqualTo(prices(img.get("hits")).get(4));
    assertThat(ids(img2.get("hits"))).doesNotContainAnyElementsOf(ids(img.get("hits")));
    assertThat(img2.get("total").asInt()).isEqualTo(img.get("total").asInt());

    // similar: newest first, facets
    JsonNode similar = http.get("/v1/products/p0/similar?k=19&sort=newest&facets=true").json();
    assertThat(similar.get("total").asInt()).isEqualTo(19);
    assertThat(ids(similar.get("hits"))).doesNotContain("p0").hasSize(19);
    assertThat(similar.has("nextCursor")).isFalse();
    assertThat(similar.get("facets").get("price")).hasSize(5);
  }

  @Test
  void searchByImageUrlFetchesUnderTheSsrfRules() throws IOException {
    byte[] png = TestImages.png(Color.GREEN, 64, 5);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/green.png",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "image/png");
          ex.sendResponseHeaders(200, png.length);
          ex.getResponseBody().write(png);
          ex.close();
        });
    server.start();
    try {
      int p = server.getAddress().getPort();
      Http.Response r =
          http.postJson(
              "/v1/search/image", "{\"url\":\"http://127.0.0.1:" + p + "/green.png\",\"k\":3}");
      assertThat(r.status()).isEqualTo(200);
      r.json().get("hits").forEach(h -> assertThat(h.get("name").asText()).startsWith("green "));
      Http.Response otherHost =
          http.postJson("/v1/search/image", "{\"url\":\"http://localhost:" + p + "/green.png\"}");
      assertThat(otherHost.status()).isEqualTo(400);
      assertThat(otherHost.json().get("parameter").asText()).isEqualTo("url");
      Http.Response missing =
          http.postJson("/v1/search/image", "{\"url\":\"http://127.0.0.1:" + p + "/nothing.png\"}");
      assertThat(missing.status()).isEqualTo(400);
      assertThat(http.postJson("/v1/search/image", "{\"url\":\"file:///etc/passwd\"}").status())
          .isEqualTo(400);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void uploadsThatAreNotImagesOrTooLargeAreRefused() {
    Http.Response text =
        http.postMultipart(
            "/v1/search/image", Map.of("image", "hello, not an image".getBytes()), Map.of());
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.json().get("parameter").asText()).isEqualTo("image");
    Http.Response big =
        http.postMultipart("/v1/search/image", Map.of("image", new byte[300_000]), Map.of());
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.header("Content-Type")).contains("application/problem+json");
    Http.Response xml = http.post("/v1/search/image", "application/xml", "<a/>".getBytes());
    assertThat(xml.status()).isEqualTo(415);
    Http.Response missing = http.postMultipart("/v1/search/image", Map.of(), Map.of("k", "3"));
    assertThat(missing.status()).isEqualTo(400);
  }

  @Test
  void consistencyFlagsAnImageThatDoesNotMatchItsText() {
    byte[] red = TestImages.png(Color.RED, 32, 3);
    JsonNode ok =
        http.postMultipart("/v1/consistency", Map.of("image", red), Map.of("text", "red")).json();
    assertThat(ok.get("cosine").asDouble()).isGreaterThan(0.99);
    assertThat(ok.get("consistent").asBoolean()).isTrue();
    JsonNode bad =
        http.postMultipart("/v1/consistency", Map.of("image", red), Map.of("text", "blue handbag"))
            .json();
    assertThat(bad.get("cosine").asDouble()).isLessThan(0.5);
    assertThat(bad.get("consistent").asBoolean()).isFalse();
    assertThat(bad.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(http.postMultipart("/v1/consistency", Map.of("image", red), Map.of()).status())
        .isEqualTo(400);
  }

  private static List<String> ids(JsonNode hits) {
    List<String> out = new ArrayList<>();
    hits.forEach(h -> out.add(h.get("id").asText()));
    return out;
  }
}
