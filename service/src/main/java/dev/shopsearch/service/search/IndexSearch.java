package dev.shopsearch.service.search;

import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.fusion.WeightedFusion;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.service.index.IndexHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.VectorUtil;

/**
 * The Lucene side of a search over one {@link IndexHandle}: kNN over image children (one best child
 * per product), BM25 over products, stored-vector lookup and hit assembly. Stateless; thread-safe
 * as the searcher is.
 */
final class IndexSearch {
  private static final Set<String> HIT_FIELDS =
      Set.of(
          IndexSchema.PRODUCT_ID,
          IndexSchema.NAME,
          IndexSchema.PRICE_STORED,
          IndexSchema.IMAGE_URL);

  private IndexSearch() {}

  /**
   * A ranked list of products.
   *
   * @param parents parent (product) doc ids, best first
   * @param scores score per parent
   * @param bestChild best-matching image child per parent (kNN only)
   */
  record Ranked(int[] parents, Map<Integer, Float> scores, Map<Integer, Integer> bestChild) {
    /** The list as core's fusion takes it. */
    RankedList ranked() {
      float[] s = new float[parents.length];
      for (int i = 0; i < parents.length; i++) {
        s[i] = scores.get(parents[i]);
      }
      return new RankedList(parents, s);
    }
  }

  /**
   * kNN with the filters as the child pre-filter, diversified to one child per product ({@link
   * ProductKnn#query}: quantised formats are over-sampled and rescored with the stored
   * full-precision vectors).
   */
  static Ranked knn(IndexHandle h, float[] vector, Query childFilter, int window)
      throws IOException {
    Query q =
        ProductKnn.query(vector, childFilter, window, h.metadata().vectorFormat(), h.parents());
    TopDocs top = h.searcher().search(q, window);
    List<LeafReaderContext> leaves = h.searcher().getIndexReader().leaves();
    int[] parents = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    Map<Integer, Integer> best = new HashMap<>();
    int n = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      int parent = parentOf(h, leaves, sd.doc);
      if (parent < 0 || best.containsKey(parent)) {
        continue;
      }
      parents[n++] = parent;
      scores.put(parent, sd.score);
      best.put(parent, sd.doc);
    }
    return new Ranked(java.util.Arrays.copyOf(parents, n), scores, best);
  }

  /** BM25 over product documents. */
  static Ranked lexical(IndexHandle h, Query query, int window) throws IOException {
    TopDocs top = h.searcher().search(query, window);
    int[] parents = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    for (int i = 0; i < parents.length; i++) {
      parents[i] = top.scoreDocs[i].doc;
      scores.put(parents[i], top.scoreDocs[i].score);
    }
    return new Ranked(parents, scores, Map.of());
  }

  /** The parent doc of a child ({@link ProductKnn#parentOf}). */
  static int parentOf(IndexHandle h, List<LeafReaderContext> leaves, int child) throws IOException {
    return ProductKnn.parentOf(h.parents(), leaves, child);
  }

  /**
   * The query vector of a product: the normalised mean of its stored image vectors (no encode).
   *
   * @return the vector, or null if the product is unknown or has no image vector
   */
  static float[] productVector(IndexHandle h, String productId) throws IOException {
    Query children =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, productId)), Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_IMAGE)), Occur.FILTER)
            .build();
    TopDocs top = h.searcher().search(children, 64);
    List<LeafReaderContext> leaves = h.searcher().getIndexReader().leaves();
    float[] sum = null;
    for (ScoreDoc sd : top.scoreDocs) {
      LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
      FloatVectorValues values = ctx.reader().getFloatVectorValues(IndexSchema.VECTOR);
      if (values == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = values.iterator();
      int local = sd.doc - ctx.docBase;
      if (it.advance(local) != local) {
        continue;
      }
      float[] v = values.vectorValue(it.index());
      if (sum == null) {
        sum = new float[v.length];
      }
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    if (sum == null || VectorUtil.dotProduct(sum, sum) == 0) {
      return null;
    }
    return VectorUtil.l2normalize(sum);
  }

  /** Whether a product document with this id exists. */
  static boolean productExists(IndexHandle h, String productId) throws IOException {
    Query q =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, productId)), Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
                Occur.FILTER)
            .build();
    return h.searcher().count(q) > 0;
  }

  /**
   * Loads the stored fields of a page of parents into hits, each with its rank in every list it is
   * in.
   */
  static List<SearchHit> hits(
      IndexHandle h,
      List<WeightedFusion.Fused> page,
      Ranked vector,
      Map<Integer, Integer> vectorRanks,
      Map<Integer, Integer> lexicalRanks,
      Map<Integer, Integer> semanticRanks)
      throws IOException {
    var stored = h.searcher().storedFields();
    List<SearchHit> hits = new ArrayList<>(page.size());
    for (WeightedFusion.Fused f : page) {
      Document d = stored.document(f.key(), HIT_FIELDS);
      String matched = null;
      Integer child = vector == null ? null : vector.bestChild().get(f.key());
      if (child != null) {
        Document c = stored.document(child, Set.of(IndexSchema.IMAGE_REF));
        matched = ImageUrls.toUrl(c.get(IndexSchema.IMAGE_REF));
      }
      Number price =
          d.getField(IndexSchema.PRICE_STORED) == null
              ? null
              : d.getField(IndexSchema.PRICE_STORED).numericValue();
      hits.add(
          new SearchHit(
              d.get(IndexSchema.PRODUCT_ID),
              d.get(IndexSchema.NAME),
              price == null ? null : price.doubleValue(),
              ImageUrls.toUrl(d.get(IndexSchema.IMAGE_URL)),
              matched,
              f.score(),
              vectorRanks.get(f.key()),
              lexicalRanks.get(f.key()),
              semanticRanks.get(f.key())));
    }
    return hits;
  }

  /**
   * 1-based ranks in a list of the products of a page only (one pass over the list, no map of the
   * whole list: a lexical list holds every BM25 match).
   */
  static Map<Integer, Integer> ranks(Ranked r, List<WeightedFusion.Fused> page) {
    if (r == null || page.isEmpty()) {
      return Map.of();
    }
    Map<Integer, Integer> m = new HashMap<>();
    for (WeightedFusion.Fused f : page) {
      m.put(f.key(), null);
    }
    int left = m.size();
    for (int i = 0; i < r.parents().length && left > 0; i++) {
      int doc = r.parents()[i];
      if (m.containsKey(doc) && m.get(doc) == null) {
        m.put(doc, i + 1);
        left--;
      }
    }
    m.values().removeIf(java.util.Objects::isNull);
    return m;
  }
}
