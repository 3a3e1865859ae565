package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.index.VectorFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a search asks the engine to fetch per hit: no {@code _source} (it carries every vector of
 * the product), the product id from {@code _id}, the best image from doc values where the
 * generation has them.
 */
class HitFetchTest {
  private static final float[] VECTOR = {0.6f, 0.8f};

  @Test
  void listsReadNoSource() throws Exception {
    assertThat(
            OpenSearchSearcher.knnBody(VECTOR, null, 10, 100, KnnRescore.NONE, true)
                .path("_source")
                .asBoolean(true))
        .isFalse();
    assertThat(
            OpenSearchSearcher.textKnnBody(VECTOR, null, 10, 100, KnnRescore.NONE)
                .path("_source")
                .asBoolean(true))
        .isFalse();
    assertThat(OpenSearchSearcher.bm25Body("red dress", null, 10).path("_source").asBoolean(true))
        .isFalse();
  }

  @Test
  void theBestImageComesFromDocValuesOrForOlderGenerationsFromTheNestedSource() {
    JsonNode inner =
        OpenSearchSearcher.knnBody(VECTOR, null, 10, 100, KnnRescore.NONE, true)
            .path("query")
            .path("nested")
            .path("inner_hits");
    assertThat(inner.path("_source").asBoolean(true)).isFalse();
    assertThat(inner.path("docvalue_fields").get(0).asText())
        .isEqualTo(OpenSearchSearcher.IMAGE_REF_FIELD);
    JsonNode legacy =
        OpenSearchSearcher.knnBody(VECTOR, null, 10, 100, KnnRescore.NONE, false)
            .path("query")
            .path("nested")
            .path("inner_hits");
    assertThat(legacy.has("docvalue_fields")).isFalse();
    assertThat(legacy.path("_source").get(0).asText())
        .isEqualTo(OpenSearchSearcher.IMAGE_REF_FIELD);
  }

  @Test
  void hitsTakeTheIdAndEitherFormOfTheBestImage() throws Exception {
    JsonNode answer =
        EngineClient.json()
            .readTree(
                """
                {"hits":{"hits":[
                  {"_id":"p1","_score":0.9,"inner_hits":{"images":{"hits":{"hits":[
                    {"fields":{"images.ref":["img/p1-2.jpg"]}}]}}}},
                  {"_id":"p2","_score":0.8,"inner_hits":{"images":{"hits":{"hits":[
                    {"_source":{"ref":"img/p2-0.jpg"}}]}}}},
                  {"_id":"p3","_score":0.7}
                ]}}
                """);
    List<SearchHit> hits = OpenSearchSearcher.hits(answer, true);
    assertThat(hits)
        .containsExactly(
            new SearchHit("p1", 0.9, "img/p1-2.jpg"),
            new SearchHit("p2", 0.8, "img/p2-0.jpg"),
            new SearchHit("p3", 0.7, null));
  }

  @Test
  void theMappingGivesImageReferencesDocValuesAndOlderMappingsAreRecognised() throws Exception {
    ObjectNode mappings = IndexMapping.mappings(IndexMappingTest.metadata(VectorFormat.FLOAT));
    assertThat(IndexMapping.imageRefDocValues(mappings.path("properties"))).isTrue();
    JsonNode older =
        EngineClient.json()
            .readTree(
                """
                {"images":{"type":"nested","properties":{
                  "ref":{"type":"keyword","index":false,"doc_values":false}}}}
                """);
    assertThat(IndexMapping.imageRefDocValues(older)).isFalse();
  }
}
