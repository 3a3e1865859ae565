package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.VectorFormat;
import java.util.Objects;

/**
 * Full-precision rescoring of a quantised kNN window, as the embedded backend's {@code
 * dev.shopsearch.core.index.ProductKnn} does: the graph search of an {@code sq} (int7) field ranks
 * by the quantised vectors, which on 512-d embeddings loses about a fifth of the true top 10
 * (recall@10 0.81 measured, at any candidate count); the engine keeps the float vectors beside the
 * quantised ones, so the search widens its window by {@link #oversample()} and a {@code rescore}
 * phase replaces each windowed hit's score with the exact similarity to the query (the k-NN
 * plugin's {@code knn_score} script, which reads the float vectors). The script scores on the graph
 * search's scale for the space, so scores keep their meaning ({@code OpenSearchBackendTest} checks
 * the cosine case against the exact values):
 *
 * <ul>
 *   <li>{@code cosinesimil}: {@code (1 + cos) / 2};
 *   <li>{@code innerproduct}: {@code dot + 1} for {@code dot >= 0}, else {@code 1 / (1 - dot)};
 *   <li>{@code l2}: {@code 1 / (1 + d²)}.
 * </ul>
 *
 * For image vectors the exact score is taken inside the nested query: the graph search returns
 * every image of the window's products ({@code expand_nested_docs}), a {@code script_score} gives
 * each its exact similarity, and the nested query's max and its {@code inner_hits} then name the
 * product's exactly best image (a rescore phase would leave the inner hit chosen by the 7-bit
 * scores: a CI run saw the best image of a product differ from the exact search's). The semantic
 * list (one vector per product) rescores each shard's top {@code window_size} hits in a {@code
 * rescore} phase. The cost is one exact similarity per image of the window's products.
 *
 * @param similarity the generation's similarity
 * @param oversample the window's widening factor; 1 = no rescoring (full-precision formats)
 */
public record KnnRescore(Similarity similarity, int oversample) {
  /** No rescoring: the graph search's scores are already exact. */
  public static final KnnRescore NONE = new KnnRescore(Similarity.COSINE, 1);

  public KnnRescore {
    Objects.requireNonNull(similarity, "similarity");
    if (oversample < 1) {
      throw new IllegalArgumentException("oversample must be >= 1; oversample=" + oversample);
    }
  }

  /**
   * The rescoring a generation needs: its format's {@link VectorFormat#rescoreOversample()} for a
   * quantised format, {@link #NONE} for float.
   */
  public static KnnRescore of(IndexMetadata metadata) {
    VectorFormat format = metadata.vectorFormat();
    return format.quantized()
        ? new KnnRescore(metadata.similarity(), Math.max(1, format.rescoreOversample()))
        : NONE;
  }

  /** Whether searches rescore at all. */
  public boolean active() {
    return oversample > 1;
  }

  /** The graph search's size for a window of {@code window} hits, at most {@code limit}. */
  int widened(int window, int limit) {
    return (int) Math.min((long) window * oversample, Math.max(window, limit));
  }

  /**
   * {@code query} wrapped in a {@code script_score} whose score is the exact similarity of {@code
   * field} to {@code vector} (the k-NN plugin's {@code knn_score}, on the graph search's scale).
   */
  ObjectNode exactScore(ObjectNode query, float[] vector, String field) {
    ObjectNode out = EngineClient.json().createObjectNode();
    ObjectNode scriptScore = out.putObject("script_score");
    scriptScore.set("query", query);
    ObjectNode s = scriptScore.putObject("script");
    s.put("lang", "knn");
    s.put("source", "knn_score");
    ObjectNode params = s.putObject("params");
    params.put("field", field);
    params.put("space_type", IndexMapping.spaceType(similarity));
    ArrayNode v = params.putArray("query_value");
    for (float f : vector) {
      v.add(f);
    }
    return out;
  }

  /**
   * Adds the {@code rescore} phase to a search body: the top {@code windowSize} hits of each shard
   * get the exact similarity of {@code field} to {@code vector} as their score.
   */
  void addTo(ObjectNode body, float[] vector, String field, int windowSize) {
    ObjectNode matchAll = EngineClient.json().createObjectNode();
    matchAll.putObject("match_all");
    ObjectNode rescore = body.putObject("rescore");
    rescore.put("window_size", windowSize);
    ObjectNode query = rescore.putObject("query");
    query.set("rescore_query", exactScore(matchAll, vector, field));
    query.put("query_weight", 0.0);
    query.put("rescore_query_weight", 1.0);
    query.put("score_mode", "total");
  }
}
