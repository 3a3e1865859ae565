package dev.shopsearch.core.index;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.DiversifyingChildrenFloatKnnVectorQuery;
import org.apache.lucene.util.BitSet;

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
    int oversample = format.quantized() ? Math.max(1, format.rescoreOversample()) : 1;
    return query(vector, childFilter, window, window * oversample, oversample > 1, parents);
  }

  /**
   * {@link #query} with the HNSW candidate count explicit (benchmarks that tune it): the graph
   * search collects the {@code candidates} nearest products; with {@code rescore} they are rescored
   * at full precision and the best {@code window} kept. Search it for {@code window} hits.
   *
   * @param candidates products the HNSW search collects (its beam), at least {@code window}
   * @param rescore whether to rescore the candidates with the stored full-precision vectors (only
   *     useful on a quantised format)
   */
  public static Query query(
      float[] vector,
      Query childFilter,
      int window,
      int candidates,
      boolean rescore,
      BitSetProducer parents) {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(parents, "parents");
    if (window < 1 || candidates < window) {
      throw new IllegalArgumentException(
          "window must be >= 1 and candidates >= window; window="
              + window
              + ", candidates="
              + candidates);
    }
    Query q =
        new DiversifyingChildrenFloatKnnVectorQuery(
            IndexSchema.VECTOR, vector, childFilter, candidates, parents);
    if (rescore) {
      q = RescoreTopNQuery.createFullPrecisionRescorerQuery(q, vector, IndexSchema.VECTOR, window);
    }
    return q;
  }

  /**
   * The semantic list's query: the {@code window} products whose text vector ({@link
   * IndexSchema#TEXT_VECTOR}, on the parent) is nearest, widened and rescored at full precision for
   * quantised formats like {@link #query}. No diversification: one vector per product.
   *
   * @param vector the query's text embedding (unit norm)
   * @param parentFilter pre-filter on product documents, or {@code null} for all (only product
   *     documents carry text vectors, so none is needed to keep the images out)
   * @param window hits wanted, from {@link #window}
   * @param format the index's vector format
   */
  public static Query textQuery(
      float[] vector, Query parentFilter, int window, VectorFormat format) {
    Objects.requireNonNull(vector, "vector");
    int oversample = format.quantized() ? Math.max(1, format.rescoreOversample()) : 1;
    Query q =
        new KnnFloatVectorQuery(IndexSchema.TEXT_VECTOR, vector, window * oversample, parentFilter);
    if (oversample > 1) {
      q =
          RescoreTopNQuery.createFullPrecisionRescorerQuery(
              q, vector, IndexSchema.TEXT_VECTOR, window);
    }
    return q;
  }

  /**
   * Whether an index has product text vectors (the semantic list): some segment has {@link
   * IndexSchema#TEXT_VECTOR}. False for schema versions before {@link
   * IndexMetadata#SEMANTIC_SCHEMA_VERSION} and for an index built without a text tower.
   */
  public static boolean hasTextVectors(IndexReader reader) {
    for (LeafReaderContext leaf : reader.leaves()) {
      FieldInfo info = leaf.reader().getFieldInfos().fieldInfo(IndexSchema.TEXT_VECTOR);
      if (info != null && info.hasVectorValues()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The parent (product) document of a child (image) hit: the next parent bit at or after it in its
   * segment.
   *
   * @param parents the parents filter
   * @param leaves the reader's leaves
   * @param child a global doc id
   * @return the parent's global doc id, or -1 when there is none
   */
  public static int parentOf(BitSetProducer parents, List<LeafReaderContext> leaves, int child)
      throws IOException {
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(child, leaves));
    BitSet bits = parents.getBitSet(ctx);
    if (bits == null) {
      return -1;
    }
    int local = child - ctx.docBase;
    if (local >= bits.length()) {
      return -1;
    }
    int parent = bits.nextSetBit(local);
    return parent == DocIdSetIterator.NO_MORE_DOCS ? -1 : ctx.docBase + parent;
  }
}
