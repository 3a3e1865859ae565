package dev.shopsearch.trainer.locked;

import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attribute-query precision over a photo gallery: one query per distinct (gender, colour, leaf
 * category) combination of the gallery, written as a shopper would ({@code "men black topwear"},
 * lower case); relevant = every gallery photo with exactly those three attributes. Ranking is by
 * dot product of unit-norm embeddings; scores are P@k and nDCG@k with binary relevance (ideal DCG
 * over {@code min(k, |relevant|)} hits). Immutable, thread-safe.
 *
 * @param queries the queries, in first-seen gallery order
 */
public record AttributeQueries(List<Query> queries) {

  /**
   * @param text the query text
   * @param relevant gallery indices of the relevant photos, ascending
   */
  public record Query(String text, int[] relevant) {}

  /**
   * Mean scores over the queries that have at least {@code minRelevant} relevant photos.
   *
   * @param queries how many queries were scored
   * @param precision mean P@k
   * @param ndcg mean nDCG@k
   * @param k the cut-off
   * @param minRelevant the filter applied
   */
  public record Scores(int queries, double precision, double ndcg, int k, int minRelevant) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "P@%d %.3f nDCG@%d %.3f (%d queries with >= %d relevant)",
          k,
          precision,
          k,
          ndcg,
          queries,
          minRelevant);
    }
  }

  public AttributeQueries {
    queries = List.copyOf(queries);
  }

  /**
   * Builds the queries for a gallery; {@code gallery.get(i)} is the product shown by photo {@code
   * i}. Products missing gender (attribute {@code gender}), colour or a category are in no query.
   */
  public static AttributeQueries of(List<Product> gallery) {
    Map<String, List<Integer>> byText = new LinkedHashMap<>();
    for (int i = 0; i < gallery.size(); i++) {
      String text = text(gallery.get(i));
      if (text != null) {
        byText.computeIfAbsent(text, t -> new ArrayList<>()).add(i);
      }
    }
    List<Query> out = new ArrayList<>();
    byText.forEach(
        (t, rel) -> out.add(new Query(t, rel.stream().mapToInt(Integer::intValue).toArray())));
    return new AttributeQueries(out);
  }

  /** {@code "<gender> <colour> <leaf category>"} in lower case, or {@code null}. */
  static String text(Product p) {
    List<String> gender = p.attributes().get("gender");
    if (gender == null || gender.isEmpty() || p.colour() == null || p.categories().isEmpty()) {
      return null;
    }
    String path = p.categories().get(0);
    String leaf = path.substring(path.lastIndexOf('/') + 1).strip();
    String g = gender.get(0).strip();
    String c = p.colour().strip();
    if (g.isEmpty() || c.isEmpty() || leaf.isEmpty()) {
      return null;
    }
    return (g + " " + c + " " + leaf).toLowerCase(Locale.ROOT);
  }

  /** The query texts, aligned with {@link #queries()}. */
  public List<String> texts() {
    return queries.stream().map(Query::text).toList();
  }

  /**
   * Scores ranked retrieval.
   *
   * @param queryEmbeddings one unit-norm row per query, aligned with {@link #queries()}
   * @param gallery one unit-norm row per gallery photo
   * @param k cut-off, at least 1
   * @param minRelevant only queries with at least this many relevant photos count
   */
  public Scores score(float[][] queryEmbeddings, float[][] gallery, int k, int minRelevant) {
    if (queryEmbeddings.length != queries.size()) {
      throw new IllegalArgumentException(
          "expected " + queries.size() + " query embeddings, got " + queryEmbeddings.length);
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    double p = 0;
    double n = 0;
    int count = 0;
    for (int q = 0; q < queries.size(); q++) {
      int[] rel = queries.get(q).relevant();
      if (rel.length < minRelevant) {
        continue;
      }
      int[] top = topK(queryEmbeddings[q], gallery, k);
      double dcg = 0;
      int hits = 0;
      for (int r = 0; r < top.length; r++) {
        if (Arrays.binarySearch(rel, top[r]) >= 0) {
          hits++;
          dcg += 1 / log2(r + 2);
        }
      }
      double ideal = 0;
      for (int r = 0; r < Math.min(k, rel.length); r++) {
        ideal += 1 / log2(r + 2);
      }
      p += hits / (double) k;
      n += dcg / ideal;
      count++;
    }
    return new Scores(
        count, count == 0 ? 0 : p / count, count == 0 ? 0 : n / count, k, minRelevant);
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }

  /** Indices of the {@code k} highest dot products, best first (ties: lower index first). */
  static int[] topK(float[] q, float[][] gallery, int k) {
    float[] scores = new float[gallery.length];
    for (int j = 0; j < gallery.length; j++) {
      float s = 0;
      float[] g = gallery[j];
      for (int d = 0; d < q.length; d++) {
        s += q[d] * g[d];
      }
      scores[j] = s;
    }
    return TopK.of(scores, 0, gallery.length, k, j -> false);
  }
}
