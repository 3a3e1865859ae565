package dev.shopsearch.indexer.job;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.search.ProductCard;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.RankedProducts;
import dev.shopsearch.opensearch.GenerationReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * {@link ProductRecall} on an OpenSearch generation (package-private): the same queries (drawn from
 * a seeded sample of the generation's own vectors), the same window ({@link ProductRecall#window})
 * and the same scoring rule ({@link ProductRecall#queryRecall}). The approximate side is the
 * service's kNN through the backend seam ({@link ProductIndexView#knn}: best image per product,
 * int7 generations rescored at full precision); the exact side is brute force over every product's
 * vectors read from {@code _source} in {@code search_after} pages. Two passes over the vectors (the
 * sample, then the exact scores), one page in memory at a time.
 */
final class OpenSearchRecall {
  private final ProductRecall params;

  OpenSearchRecall(ProductRecall params) {
    this.params = params;
  }

  /** Mean recall@k over the queries; 1 when the generation holds no vector. */
  double measure(
      GenerationReader reader, String index, ProductIndexView view, long images, Similarity sim)
      throws IOException {
    int k = params.k();
    int wanted = 2 * params.queries();
    Random rnd = ProductRecall.sampleRandom(params.seed());
    double p = ProductRecall.sampleProbability(wanted, images);
    List<float[]> sample = new ArrayList<>();
    reader.forEachProduct(
        index,
        (id, vectors) -> {
          for (float[] v : vectors) {
            if (sample.size() < wanted && rnd.nextDouble() < p) {
              sample.add(v);
            }
          }
        });
    if (sample.isEmpty()) {
      return 1;
    }
    float[][] qs = ProductRecall.combine(sample, params.queries(), params.seed());

    List<List<String>> approximate = new ArrayList<>();
    Map<String, float[]> needed = new HashMap<>();
    for (float[] q : qs) {
      RankedProducts hits = view.knn(q, ProductFilters.NONE, null, params.window());
      int[] first = Arrays.copyOf(hits.keys(), Math.min(k, hits.keys().length));
      List<String> ids = new ArrayList<>();
      for (ProductCard card : view.cards(first)) {
        ids.add(card.id());
        needed.put(card.id(), null);
      }
      approximate.add(ids);
    }

    VectorSimilarityFunction f = function(sim);
    List<PriorityQueue<Float>> heaps = new ArrayList<>();
    for (int i = 0; i < qs.length; i++) {
      heaps.add(new PriorityQueue<>());
    }
    reader.forEachProduct(
        index,
        (id, vectors) -> {
          if (vectors.isEmpty()) {
            return;
          }
          float[] best = new float[qs.length];
          Arrays.fill(best, Float.NEGATIVE_INFINITY);
          for (float[] v : vectors) {
            for (int i = 0; i < qs.length; i++) {
              best[i] = Math.max(best[i], f.compare(qs[i], v));
            }
          }
          ProductRecall.offerTopK(heaps, best, k);
          if (needed.containsKey(id)) {
            needed.put(id, best);
          }
        });
    double sum = 0;
    for (int i = 0; i < qs.length; i++) {
      List<Float> scores = new ArrayList<>();
      for (String id : approximate.get(i)) {
        float[] s = needed.get(id);
        scores.add(s == null ? Float.NEGATIVE_INFINITY : s[i]);
      }
      sum += ProductRecall.queryRecall(heaps.get(i), scores, k);
    }
    return sum / qs.length;
  }

  private static VectorSimilarityFunction function(Similarity sim) {
    return switch (sim) {
      case COSINE -> VectorSimilarityFunction.COSINE;
      case DOT_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
      case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
    };
  }
}
