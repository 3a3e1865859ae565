package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.HnswParams;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.VectorFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IndexMappingTest {
  static IndexMetadata metadata(VectorFormat format) {
    return metadata(format, 8);
  }

  static IndexMetadata metadata(VectorFormat format, int dim) {
    return new IndexMetadata(
        IndexMetadata.SCHEMA_VERSION,
        "demo-clip",
        "1.0",
        "abc123",
        dim,
        Similarity.COSINE,
        format,
        new HnswParams(16, 100),
        "",
        Instant.EPOCH,
        0,
        0,
        0);
  }

  private static final IndexLayout LAYOUT = new IndexLayout("products", 2, 1, true, 2);

  @Test
  void vectorIsNestedUnderImagesWithTheLuceneEngine() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.FLOAT), LAYOUT);
    JsonNode images = body.at("/mappings/properties/images");
    assertThat(images.path("type").asText()).isEqualTo("nested");
    JsonNode vector = images.at("/properties/vector");
    assertThat(vector.path("type").asText()).isEqualTo("knn_vector");
    assertThat(vector.path("dimension").asInt()).isEqualTo(8);
    assertThat(vector.at("/method/engine").asText()).isEqualTo("lucene");
    assertThat(vector.at("/method/space_type").asText()).isEqualTo("cosinesimil");
    assertThat(vector.at("/method/parameters/encoder").isMissingNode()).isTrue();
    // filter fields live at product level only (the knn clause's filter joins them down)
    assertThat(images.at("/properties/category").isMissingNode()).isTrue();
    assertThat(body.at("/mappings/properties/category/type").asText()).isEqualTo("keyword");
    assertThat(body.at("/mappings/properties/colour/type").asText()).isEqualTo("keyword");
    assertThat(body.at("/mappings/properties/name/type").asText()).isEqualTo("text");
    assertThat(body.at("/mappings/properties/price/type").asText()).isEqualTo("double");
  }

  @Test
  void attributeValuesAreKeywordsSoTheyFilterExactlyAndAggregate() {
    // without the template, dynamic mapping makes them analysed text: terms filters match tokens
    // and a terms aggregation (the facets) is refused with a 400
    JsonNode template =
        IndexMapping.createIndexBody(metadata(VectorFormat.FLOAT), LAYOUT)
            .at("/mappings/dynamic_templates/0/attr_keywords");
    assertThat(template.path("path_match").asText()).isEqualTo("attr.*");
    assertThat(template.path("match_mapping_type").asText()).isEqualTo("string");
    assertThat(template.at("/mapping/type").asText()).isEqualTo("keyword");
  }

  @Test
  void settingsCarryShardsReplicasAndSegmentReplication() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.FLOAT), LAYOUT);
    JsonNode index = body.at("/settings/index");
    assertThat(index.path("number_of_shards").asInt()).isEqualTo(2);
    assertThat(index.path("number_of_replicas").asInt()).isEqualTo(1);
    assertThat(index.path("replication.type").asText()).isEqualTo("SEGMENT");
    assertThat(index.path("knn").asBoolean()).isTrue();
  }

  @Test
  void metaHoldsModelAndSchemaVersionAndRoundTrips() {
    IndexMetadata meta = metadata(VectorFormat.INT7);
    ObjectNode body = IndexMapping.createIndexBody(meta, LAYOUT);
    JsonNode m = body.at("/mappings/_meta");
    assertThat(m.path("shopsearch.model.name").asText()).isEqualTo("demo-clip");
    assertThat(m.path("shopsearch.model.hash").asText()).isEqualTo("abc123");
    assertThat(m.path("shopsearch.schema_version").asText())
        .isEqualTo(Integer.toString(IndexMetadata.SCHEMA_VERSION));
  }

  @Test
  void int7UsesTheSqEncoder() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.INT7), LAYOUT);
    assertThat(
            body.at("/mappings/properties/images/properties/vector/method/parameters/encoder/name")
                .asText())
        .isEqualTo("sq");
  }

  @Test
  void formatsWithoutAnEquivalentAreRefusedByName() {
    assertThatThrownBy(() -> IndexMapping.createIndexBody(metadata(VectorFormat.INT4), LAYOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("int4");
  }

  @Test
  void aVectorWithoutTheLuceneEngineIsRefused() {
    ObjectNode mappings = IndexMapping.mappings(metadata(VectorFormat.FLOAT));
    ((ObjectNode) mappings.at("/properties/images/properties/vector/method"))
        .put("engine", "faiss");
    assertThatThrownBy(() -> IndexMapping.requireLuceneEngine(mappings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("images.vector")
        .hasMessageContaining("faiss");
    ((ObjectNode) mappings.at("/properties/images/properties/vector/method")).remove("engine");
    assertThatThrownBy(() -> IndexMapping.requireLuceneEngine(mappings))
        .hasMessageContaining("<default>");
  }

  @Test
  void catalogRowIsALongSortKeyAndEveryDocumentCarriesIt() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.FLOAT), LAYOUT);
    assertThat(body.at("/mappings/properties/catalog_row/type").asText()).isEqualTo("long");
    Product p =
        new Product(
            "p1",
            "Shirt",
            "",
            java.util.List.of("Men/Tops"),
            null,
            null,
            null,
            java.util.List.of("a.jpg"),
            java.util.Map.of(),
            41);
    float[] v = new float[8];
    v[0] = 1;
    ObjectNode doc =
        new ProductJson(8).document(p, java.util.List.of(new ImageVector("a.jpg", 0, v)), "hash");
    assertThat(doc.path("catalog_row").asLong()).isEqualTo(41);
    // every field the document carries is mapped (the mapping is dynamic: strict)
    JsonNode props = body.at("/mappings/properties");
    doc.fieldNames().forEachRemaining(f -> assertThat(props.has(f)).as(f).isTrue());
  }

  @Test
  void lexicalFieldsUseTheEmbeddedAnalysisAndCjkTwinsExistOnlyForCjkText() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.FLOAT), LAYOUT);
    JsonNode props = body.at("/mappings/properties");
    for (String f : List.of("name", "description", "categories_text", "attributes_text")) {
      assertThat(props.at("/" + f + "/analyzer").asText()).as(f).isEqualTo("shopsearch_english");
      JsonNode twin = props.path(f.replace("_text", "") + "_cjk");
      assertThat(twin.path("analyzer").asText()).as(f).isEqualTo("shopsearch_cjk_index");
      assertThat(twin.path("search_analyzer").asText()).as(f).isEqualTo("shopsearch_cjk_query");
    }
    JsonNode analysis = body.at("/settings/index/analysis");
    assertThat(analysis.at("/analyzer/shopsearch_english/char_filter/0").asText())
        .isEqualTo("shopsearch_width");
    assertThat(analysis.at("/filter/shopsearch_drop_cjk/types").toString())
        .isEqualTo("[\"<HANGUL>\",\"<HIRAGANA>\",\"<IDEOGRAPHIC>\",\"<KATAKANA>\"]");

    Product p =
        new Product(
            "p1",
            "Summer 碎花连衣裙",
            "Light cotton",
            List.of("Women/Dresses"),
            "Red",
            null,
            null,
            List.of("a.jpg"),
            Map.of("pattern", List.of("碎花"), "fit", List.of("Slim")),
            1);
    float[] v = new float[8];
    v[0] = 1;
    ObjectNode doc = new ProductJson(8).document(p, List.of(new ImageVector("a.jpg", 0, v)), "h");
    assertThat(doc.path("attributes_text").asText())
        .isEqualTo(ProductDocuments.attributesText(p))
        .contains("Red", "Slim", "碎花");
    assertThat(doc.path("name_cjk").asText()).isEqualTo("Summer 碎花连衣裙");
    assertThat(doc.path("attributes_cjk").asText()).isEqualTo(doc.path("attributes_text").asText());
    // no CJK character: no twin (its document count is a BM25 statistic)
    assertThat(doc.has("description_cjk")).isFalse();
    assertThat(doc.has("categories_cjk")).isFalse();
    doc.fieldNames().forEachRemaining(f -> assertThat(props.has(f)).as(f).isTrue());
  }

  @Test
  void widthRulesAreTheEmbeddedCharFiltersIncludingVoicedMarks() {
    List<String> rules = LexicalAnalysers.widthRules();
    // full-width A, half-width ka, half-width ka + voiced mark, full-width ka + half-width mark
    assertThat(rules)
        .contains(
            "\\uFF21 => \\u0041",
            "\\uFF76 => \\u30AB",
            "\\uFF76\\uFF9E => \\u30AC",
            "\\u30AB\\uFF9E => \\u30AC");
    assertThat(rules)
        .allSatisfy(r -> assertThat(r).matches("(\\\\u[0-9A-F]{4})+ => (\\\\u[0-9A-F]{4})+"));
  }

  @Test
  void theTextVectorIsAProductLevelKnnVectorLikeTheImageVectors() {
    ObjectNode body = IndexMapping.createIndexBody(metadata(VectorFormat.INT7), LAYOUT);
    JsonNode text = body.at("/mappings/properties/text_vector");
    assertThat(text).isEqualTo(body.at("/mappings/properties/images/properties/vector"));
    assertThat(text.at("/method/engine").asText()).isEqualTo("lucene");

    Product p =
        new Product("p1", "Shirt", "", List.of(), null, null, null, List.of("a.jpg"), Map.of(), 1);
    float[] v = new float[8];
    v[0] = 1;
    List<ImageVector> images = List.of(new ImageVector("a.jpg", 0, v));
    ProductJson json = new ProductJson(8);
    assertThat(json.document(p, images, "h", v).at("/text_vector").size()).isEqualTo(8);
    assertThat(json.document(p, images, "h", null).has("text_vector")).isFalse();
    assertThatThrownBy(() -> json.document(p, images, "h", new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p1")
        .hasMessageContaining("text vector has 3 floats; index dim=8");
  }
}
