package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.search.RankedProducts;
import java.util.List;

/**
 * Every product a search matches, in relevance order, the basis of its total, its facets and every
 * page: lexical = all BM25 matches that pass the filters; vector = the kNN candidates ({@code
 * num-candidates}) that pass the filters and reach the similarity floor ({@code
 * shopsearch.facets.min-vector-score}); hybrid = the union of the kNN list, the BM25 list and, when
 * the index has product text vectors and its weight is not 0, the semantic list (the text-vector
 * kNN candidates that pass the filters and reach the same floor), fused (weighted RRF or normalised
 * scores, as the index's calibration or the request says) over the whole of every list. Computed
 * once per request from lists that do not depend on the page, so every page of a query sees the
 * same set.
 *
 * @param docs product keys of the searched view, best first
 * @param relevance the relevance score of each, same order
 * @param vector the kNN list it was made from (null if none)
 * @param lexical the BM25 list it was made from (null if none)
 * @param semantic the semantic list it was made from (null if none)
 */
record MatchSet(
    int[] docs,
    double[] relevance,
    RankedProducts vector,
    RankedProducts lexical,
    RankedProducts semantic) {

  /** A match set without a semantic list. */
  MatchSet(int[] docs, double[] relevance, RankedProducts vector, RankedProducts lexical) {
    this(docs, relevance, vector, lexical, null);
  }

  /** How many products match. */
  int size() {
    return docs.length;
  }

  /**
   * The match set of one or two ranked lists.
   *
   * @param fusion how to fuse the two lists (both lists given; else unused)
   * @param vector kNN list already cut at the similarity floor, or null
   * @param lexical all BM25 matches, best first, or null
   */
  static MatchSet of(FusionSettings fusion, RankedProducts vector, RankedProducts lexical) {
    return of(fusion, vector, lexical, null);
  }

  /**
   * The match set of one to three ranked lists.
   *
   * @param fusion how to fuse the lists (hybrid: kNN and BM25 given; else unused)
   * @param vector kNN list already cut at the similarity floor, or null
   * @param lexical all BM25 matches, best first, or null
   * @param semantic the semantic list already cut at the similarity floor, or null (not searched)
   */
  static MatchSet of(
      FusionSettings fusion,
      RankedProducts vector,
      RankedProducts lexical,
      RankedProducts semantic) {
    if (vector != null && lexical != null) {
      List<WeightedFusion.Fused> fused =
          WeightedFusion.fuse(
              fusion,
              vector.ranked(),
              lexical.ranked(),
              semantic == null ? RankedList.empty() : semantic.ranked());
      int[] docs = new int[fused.size()];
      double[] scores = new double[fused.size()];
      for (int i = 0; i < docs.length; i++) {
        docs[i] = fused.get(i).key();
        scores[i] = fused.get(i).score();
      }
      return new MatchSet(docs, scores, vector, lexical, semantic);
    }
    RankedProducts only = vector != null ? vector : lexical;
    if (only == null) {
      return new MatchSet(new int[0], new double[0], null, null);
    }
    double[] scores = new double[only.keys().length];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = only.scores().get(only.keys()[i]);
    }
    return new MatchSet(only.keys(), scores, vector, lexical);
  }

  /** The kNN candidates (image or semantic) whose score reaches {@code floor}, order kept. */
  static RankedProducts aboveFloor(RankedProducts knn, double floor) {
    if (floor <= 0) {
      return knn;
    }
    int n = 0;
    int[] kept = new int[knn.keys().length];
    for (int p : knn.keys()) {
      if (knn.scores().get(p) >= floor) {
        kept[n++] = p;
      }
    }
    return n == kept.length
        ? knn
        : new RankedProducts(java.util.Arrays.copyOf(kept, n), knn.scores(), knn.bestImage());
  }
}
