package dev.shopsearch.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shopsearch.core.catalog.CatalogReader;
import dev.shopsearch.core.catalog.FieldMapping;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.model.ModelLoader;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.Http;
import dev.shopsearch.service.testing.TestIndex;
import dev.shopsearch.tooling.demo.DemoCatalog;
import dev.shopsearch.tooling.demo.DemoCatalogConfig;
import dev.shopsearch.tooling.demo.DemoCatalogGenerator;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Lexical search over the demo catalog: the real generator (720 products, every colour × pattern ×
 * category combination once, small images), read with the detected field mapping as the indexer
 * reads it, indexed with the core index code; plus two products that share one Han character each
 * with 碎花 ("floral"). Image vectors are the fake model's embedding of the name and the Chinese
 * caption, so vector search understands the exact captions too.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "shopsearch.index.watch-interval=100ms",
      // generous: the suite must pass on a machine whose cores are busy with other work
      "shopsearch.overload.deadline=30s"
    })
class LexicalSearchTest {
  static final String HASH = "bbbb2222";
  static final int DEMO_PRODUCTS = 720;

  @TestConfiguration
  static class Model {
    @Bean
    ModelLoader fakeLoader() {
      return config -> FakeClip.model(HASH, new FakeClip.Text());
    }
  }

  @DynamicPropertySource
  static void index(DynamicPropertyRegistry registry) throws IOException {
    Path work = Files.createTempDirectory("shopsearch-lexical");
    DemoCatalog demo =
        DemoCatalogGenerator.generate(
            work.resolve("catalog"),
            DemoCatalogConfig.of(DEMO_PRODUCTS, DemoCatalogGenerator.DEFAULT_SEED)
                .withImageSize(32)
                .withMaxViews(1),
            (done, total) -> {});
    List<Product> products = new ArrayList<>();
    try (CatalogReader reader =
        CatalogReader.open(demo.catalogFile(), FieldMapping.detect(demo.catalogFile()))) {
      reader.products(reject -> {}).forEach(products::add);
    }
    assertThat(products).hasSize(DEMO_PRODUCTS);
    products.add(extra("x-crusher", "碎冰机 Ice Crusher"));
    products.add(extra("x-chair", "花园椅 Garden Chair"));
    TestIndex.publish(
        work.resolve("index"),
        FakeClip.manifest(HASH),
        products,
        (p, i) ->
            FakeClip.embed(
                p.name() + " " + p.attributes().getOrDefault("caption_zh", List.of("")).get(0)));
    registry.add("shopsearch.index.root", () -> work.resolve("index").toString());
  }

  private static Product extra(String id, String name) {
    return new Product(
        id,
        name,
        "",
        List.of("Home / Kitchen"),
        "white",
        25.0,
        true,
        List.of("images/" + id + ".jpg"),
        Map.of(),
        DEMO_PRODUCTS + 1);
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  Http http;

  @BeforeEach
  void ready() {
    http = new Http(port);
    Http.awaitReady(managementPort);
  }

  private JsonNode search(String q, String mode, int k) {
    return search(q, mode, k, "");
  }

  private JsonNode search(String q, String mode, int k, String more) {
    Http.Response r = http.get("/v1/search?q=" + encode(q) + "&mode=" + mode + "&k=" + k + more);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode response) {
    List<String> names = new ArrayList<>();
    response.get("hits").forEach(h -> names.add(h.get("name").asText()));
    return names;
  }

  @Test
  void chineseQueriesFindTheFloralDressesLexically() {
    for (String q : List.of("夏季碎花连衣裙", "红色碎花连衣裙")) {
      JsonNode r = search(q, "lexical", 12);
      assertThat(names(r))
          .as("'%s': the 12 floral dresses (one per colour)", q)
          .hasSize(12)
          .allMatch(n -> n.endsWith(" Floral Dress"));
      assertThat(r.has("didYouMean")).isFalse();
    }
    assertThat(names(search("红色碎花连衣裙", "lexical", 1))).containsExactly("Red Floral Dress");
  }

  @Test
  void aChineseWordNoLongerMatchesProductsSharingOneOfItsCharacters() {
    assertThat(names(search("碎花", "lexical", 100))).allMatch(n -> n.contains(" Floral "));
    // the two extra products are the only ones in Home: each shares one character with 碎花
    assertThat(names(search("碎花", "lexical", 10, "&category=Home"))).isEmpty();
    assertThat(names(search("花", "lexical", 10, "&category=Home")))
        .as("a single character still finds every product with it")
        .containsExactly("花园椅 Garden Chair");
    // 连衣裙 (dress) shares 衣 with 上衣 (top) and 卫衣 (hoodie), 裙 with 半身裙 (skirt)
    assertThat(names(search("连衣裙", "lexical", 100)))
        .hasSize(DEMO_PRODUCTS / 12)
        .allMatch(n -> n.endsWith(" Dress"));
  }

  @Test
  void hybridUsesTheVectorAndTheChineseLexicalMatch() {
    JsonNode first = search("红色碎花连衣裙", "hybrid", 10).get("hits").get(0);
    assertThat(first.get("name").asText()).isEqualTo("Red Floral Dress");
    assertThat(first.get("vectorRank").asInt()).isEqualTo(1);
    assertThat(first.get("lexicalRank").asInt()).isEqualTo(1);
  }

  @Test
  void misspeltWordsAreCorrectedFromTheCatalogVocabulary() {
    JsonNode lexical = search("red flroal dres", "lexical", 5);
    assertThat(lexical.get("didYouMean").asText()).isEqualTo("red floral dress");
    assertThat(lexical.get("query").asText()).isEqualTo("red flroal dres");
    assertThat(names(lexical).get(0)).isEqualTo("Red Floral Dress");
    assertThat(names(lexical)).allMatch(n -> n.contains("Floral") || n.contains("Dress"));

    JsonNode hybrid = search("Red Flroal dres", "hybrid", 5);
    assertThat(hybrid.get("didYouMean").asText()).isEqualTo("Red floral dress");
    JsonNode first = hybrid.get("hits").get(0);
    assertThat(first.get("name").asText())
        .as("the model encodes the corrected text too")
        .isEqualTo("Red Floral Dress");
    assertThat(first.get("lexicalRank").asInt()).isEqualTo(1);
    assertThat(hybrid.get("timings").has("spelling")).isTrue();

    assertThat(search("red floral dress", "lexical", 5).has("didYouMean")).isFalse();
    assertThat(search("red flroal dres", "vector", 5).has("didYouMean"))
        .as("vector search has no lexical vocabulary")
        .isFalse();
  }

  @Test
  void suggestCompletesNamesAndCategories() {
    JsonNode flo = suggest("flo", 8);
    assertThat(flo.get("query").asText()).isEqualTo("flo");
    assertThat(flo.get("suggestions")).hasSize(8);
    flo.get("suggestions")
        .forEach(
            s -> {
              assertThat(s.get("text").asText()).contains("Floral");
              assertThat(s.get("kind").asText()).isEqualTo("product");
              assertThat(s.get("products").asLong()).isPositive();
            });
    JsonNode dresses = suggest("red floral dre", 5);
    assertThat(dresses.get("suggestions").get(0).get("text").asText())
        .isEqualTo("Red Floral Dress");
    JsonNode women = suggest("wom", 3).get("suggestions").get(0);
    assertThat(women.get("text").asText()).isEqualTo("Women");
    assertThat(women.get("kind").asText()).isEqualTo("category");
    assertThat(suggest("zzzz", 5).get("suggestions")).isEmpty();

    assertThat(http.get("/v1/suggest?q=flo&k=0").status()).isEqualTo(400);
    assertThat(http.get("/v1/suggest").json().get("parameter").asText()).isEqualTo("q");
    Http.Response unknown = http.get("/v1/suggest?q=flo&limit=3");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.json().get("parameter").asText()).isEqualTo("limit");
  }

  /** A suggestion request, retried while the generation's suggester is still being built. */
  private JsonNode suggest(String q, int k) {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      Http.Response r = http.get("/v1/suggest?q=" + encode(q) + "&k=" + k);
      if (r.status() == 200 || System.nanoTime() > end) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
      }
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void anAttributeTheIndexDoesNotHaveIsA400ListingThoseItHas() {
    Http.Response r = http.get("/v1/search?q=dress&attr=colr:red");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("parameter").asText()).isEqualTo("attr");
    assertThat(r.json().get("detail").asText()).startsWith("unknown attribute 'colr'");
    List<String> accepted = new ArrayList<>();
    r.json().get("accepted").forEach(a -> accepted.add(a.asText()));
    assertThat(accepted).contains("pattern", "gender", "caption_zh");
    assertThat(http.get("/v1/search?q=dress&attr=pattern:floral&mode=lexical").status())
        .isEqualTo(200);
    assertThat(http.get("/v1/products/demo-00001/similar?attr=colr:red").status()).isEqualTo(400);
  }

  @Test
  void theImageEndpointsRefuseUnknownInputToo() {
    Http.Response field =
        http.postJson(
            "/v1/search/image",
            "{\"url\":\"http://127.0.0.1:9/x.png\",\"filters\":{\"size\":[\"m\"]}}");
    assertThat(field.status()).isEqualTo(400);
    assertThat(field.json().get("parameter").asText()).isEqualTo("filters.size");
    Http.Response parameter =
        http.postMultipart(
            "/v1/search/image?colr=red", Map.of("image", new byte[] {1, 2, 3}), Map.of());
    assertThat(parameter.status()).isEqualTo(400);
    assertThat(parameter.json().get("parameter").asText()).isEqualTo("colr");
  }

  @Test
  void openApiListsEveryParameterAndTheInfoTheSchemaVersion() {
    JsonNode paths = http.get("/v3/api-docs").json().get("paths");
    assertThat(parameters(paths.get("/v1/search").get("get")))
        .containsExactlyInAnyOrder(
            "q",
            "k",
            "offset",
            "mode",
            "category",
            "colour",
            "color",
            "minPrice",
            "maxPrice",
            "inStock",
            "attr",
            "sort",
            "cursor",
            "facets",
            "fusion",
            "vectorWeight",
            "lexicalWeight",
            "semanticWeight",
            "rrfK",
            "X-Request-Deadline-Ms");
    assertThat(parameters(paths.get("/v1/products/{id}/similar").get("get")))
        .contains("id", "k", "offset", "colour", "color", "attr", "sort", "cursor", "facets");
    assertThat(parameters(paths.get("/v1/suggest").get("get")))
        .containsExactly("q", "k", "X-Request-Deadline-Ms");
    assertThat(http.get("/v1/info").json().get("index").get("schemaVersion").asInt()).isEqualTo(4);
    // each hit names the lists it came from, with its rank in the semantic list
    JsonNode hit =
        http.get("/v3/api-docs").json().get("components").get("schemas").get("SearchHit");
    assertThat(hit.get("properties").has("lists")).as(hit.toString()).isTrue();
    assertThat(hit.get("properties").has("semanticRank")).as(hit.toString()).isTrue();
  }

  private static List<String> parameters(JsonNode operation) {
    List<String> names = new ArrayList<>();
    operation.get("parameters").forEach(p -> names.add(p.get("name").asText()));
    return names;
  }
}
