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
 * For image vectors the rescore query is {@code nested} (score mode max) over all of a product's
 * images, so a product scores with its exactly best image. The rescore runs on each shard over its
 * top {@code window_size} hits; its cost is one exact similarity per image of the window's
 * products.
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
   * Adds the {@code rescore} phase to a search body: the top {@code windowSize} hits of each shard
   * get the exact similarity of {@code field} (under {@code nestedPath} when not null) to {@code
   * vector} as their score.
   */
  void addTo(ObjectNode body, float[] vector, String field, String nestedPath, int windowSize) {
    ObjectNode script = EngineClient.json().createObjectNode();
    ObjectNode scriptScore = script.putObject("script_score");
    scriptScore.putObject("query").putObject("match_all");
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
    ObjectNode rescoreQuery = script;
    if (nestedPath != null) {
      rescoreQuery = EngineClient.json().createObjectNode();
      ObjectNode nested = rescoreQuery.putObject("nested");
      nested.put("path", nestedPath);
      nested.put("score_mode", "max");
      nested.set("query", script);
    }
    ObjectNode rescore = body.putObject("rescore");
    rescore.put("window_size", windowSize);
    ObjectNode query = rescore.putObject("query");
    query.set("rescore_query", rescoreQuery);
    query.put("query_weight", 0.0);
    query.put("rescore_query_weight", 1.0);
    query.put("score_mode", "total");
  }
}
