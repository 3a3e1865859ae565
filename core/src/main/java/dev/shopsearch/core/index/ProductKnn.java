package dev.shopsearch.core.index;

import java.util.Objects;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;

/**
 * The product-level kNN search that serving does, in one place so that whatever measures search
 * quality ({@code indexer verify}) measures the same thing: HNSW over the image children with the
 * best child per product ({@link DiversifyingChildrenFloatKnnVectorQuery} and the parents filter),
 * a candidate window from the page size and the configured number of candidates, and, for quantised
 * formats, a window widened by {@link VectorFormat#rescoreOversample()} and rescored at full
 * precision.
 */
public final class ProductKnn {
  /** The service's default number of HNSW candidates ({@code shopsearch.search.num-candidates}). */
  public static final int DEFAULT_CANDIDATES = 100;

  private ProductKnn() {}

  /**
   * The number of hits a search for one page asks the kNN for: {@code max(offset + k,
   * min(numCandidates, 10 * (offset + k)))}.
   */
  public static int window(int k, int offset, int numCandidates) {
    if (k < 1 || offset < 0 || numCandidates < 1) {
      throw new IllegalArgumentException(
          "k and numCandidates must be >= 1 and offset >= 0; k="
              + k
              + ", offset="
              + offset
              + ", numCandidates="
              + numCandidates);
    }
    return Math.max(offset + k, Math.min(numCandidates, 10 * (offset + k)));
  }

  /**
   * The kNN query: children of the {@code window} nearest products (by their best image), widened
   * and rescored at full precision for quantised formats. Search it for {@code window} hits; each
   * hit is the best child of a distinct product.
   *
   * @param vector the query vector (unit norm)
   * @param childFilter pre-filter on image children, or {@code null} for all
   * @param window hits wanted, from {@link #window}
   * @param format the index's vector format
   * @param parents the parents filter ({@code doc_type:product})
   */
  public static Query query(
      float[] vector, Query childFilter, int window, VectorFormat format, BitSetProducer parents) {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(parents, "parents");
    int oversample = format.quantized() ? Math.max(1, format.rescoreOversample()) : 1;
    Query q =
        new DiversifyingChildrenFloatKnnVectorQuery(
            IndexSchema.VECTOR, vector, childFilter, window * oversample, parents);
    if (oversample > 1) {
      q = RescoreTopNQuery.createFullPrecisionRescorerQuery(q, vector, IndexSchema.VECTOR, window);
    }
    return q;
  }
}
