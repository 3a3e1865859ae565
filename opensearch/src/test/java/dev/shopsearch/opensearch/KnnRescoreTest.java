package dev.shopsearch.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.index.VectorFormat;
import org.junit.jupiter.api.Test;

class KnnRescoreTest {
  private static final float[] VECTOR = {0.6f, 0.8f};

  @Test
  void quantisedGenerationsRescoreFloatOnesDoNot() {
    assertThat(KnnRescore.of(IndexMappingTest.metadata(VectorFormat.FLOAT)).active()).isFalse();
    KnnRescore int7 = KnnRescore.of(IndexMappingTest.metadata(VectorFormat.INT7));
    assertThat(int7.active()).isTrue();
    assertThat(int7.oversample()).isEqualTo(VectorFormat.INT7.rescoreOversample());
    assertThat(int7.similarity()).isEqualTo(Similarity.COSINE);
  }

  @Test
  void aRescoredImageSearchWidensItsWindowAndScoresEveryImageOfItsProductsExactly() {
    ObjectNode body =
        OpenSearchSearcher.knnBody(
            VECTOR, null, 10, 100, new KnnRescore(Similarity.COSINE, 2), true);
    assertThat(body.path("size").asInt()).isEqualTo(10);
    assertThat(body.has("rescore"))
        .as("the exact score is taken inside the nested query, so inner_hits follow it")
        .isFalse();
    JsonNode nested = body.path("query").path("nested");
    assertThat(nested.path("score_mode").asText()).isEqualTo("max");
    JsonNode scriptScore = nested.path("query").path("script_score");
    JsonNode knn = scriptScore.path("query").path("knn").path(IndexMapping.VECTOR_FIELD);
    assertThat(knn.path("k").asInt()).isEqualTo(20);
    assertThat(knn.path("method_parameters").path("ef_search").asInt()).isEqualTo(200);
    assertThat(knn.path("expand_nested_docs").asBoolean()).isTrue();
    JsonNode script = scriptScore.path("script");
    assertThat(script.path("lang").asText()).isEqualTo("knn");
    assertThat(script.path("source").asText()).isEqualTo("knn_score");
    assertThat(script.path("params").path("field").asText()).isEqualTo(IndexMapping.VECTOR_FIELD);
    assertThat(script.path("params").path("space_type").asText()).isEqualTo("cosinesimil");
    assertThat(script.path("params").path("query_value")).hasSize(2);
  }

  @Test
  void aFloatSearchHasNoRescorePhase() {
    ObjectNode body = OpenSearchSearcher.knnBody(VECTOR, null, 10, 100, KnnRescore.NONE, true);
    assertThat(body.has("rescore")).isFalse();
    assertThat(
            body.path("query")
                .path("nested")
                .path("query")
                .path("knn")
                .path(IndexMapping.VECTOR_FIELD)
                .path("k")
                .asInt())
        .isEqualTo(10);
  }

  @Test
  void theTextListRescoresItsFieldWithoutNesting() {
    ObjectNode body =
        OpenSearchSearcher.textKnnBody(
            VECTOR, null, 50, 50, new KnnRescore(Similarity.EUCLIDEAN, 2));
    assertThat(body.path("rescore").path("window_size").asInt()).isEqualTo(100);
    JsonNode q = body.path("rescore").path("query");
    assertThat(q.path("query_weight").asDouble()).isZero();
    assertThat(q.path("rescore_query_weight").asDouble()).isEqualTo(1.0);
    JsonNode script = q.path("rescore_query").path("script_score").path("script");
    assertThat(script.path("params").path("field").asText())
        .isEqualTo(IndexMapping.TEXT_VECTOR_FIELD);
    assertThat(script.path("params").path("space_type").asText()).isEqualTo("l2");
  }

  @Test
  void theWidenedWindowStaysWithinTheEnginesLimit() {
    ObjectNode body =
        OpenSearchSearcher.knnBody(
            VECTOR,
            null,
            OpenSearchSearcher.MAX_K,
            OpenSearchSearcher.MAX_CANDIDATES,
            new KnnRescore(Similarity.COSINE, 2),
            true);
    JsonNode knn =
        body.path("query")
            .path("nested")
            .path("query")
            .path("script_score")
            .path("query")
            .path("knn")
            .path(IndexMapping.VECTOR_FIELD);
    assertThat(knn.path("method_parameters").path("ef_search").asInt())
        .isEqualTo(OpenSearchSearcher.MAX_CANDIDATES);
    assertThatThrownBy(() -> new KnnRescore(Similarity.COSINE, 0))
        .hasMessageContaining("oversample=0");
  }
}
