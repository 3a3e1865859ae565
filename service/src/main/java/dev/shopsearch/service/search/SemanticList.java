package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.service.index.IndexHandle;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/**
 * The third list of a hybrid search: products whose text vector ({@link IndexSchema#TEXT_VECTOR},
 * the text tower's embedding of name and description, written at index time) is nearest to the
 * query's embedding, the one the image kNN already uses (no extra encode). It finds products whose
 * text means what the query says without sharing its words ("sneakers" → "running shoes"). Searched
 * only when the served generation has text vectors (schema version 4, built with the text tower)
 * and the fusion gives it a weight above 0. Stateless.
 */
final class SemanticList {
  private SemanticList() {}

  /** Whether the served generation has product text vectors. */
  static boolean available(IndexHandle h) {
    return ProductKnn.hasTextVectors(h.searcher().getIndexReader());
  }

  /**
   * The {@code numCandidates} nearest products that pass the filters (the pre-filter on product
   * documents; none without filters: only products carry text vectors) and whose similarity reaches
   * {@code floor}, best first.
   */
  static IndexSearch.Ranked search(
      IndexHandle h, float[] vector, SearchFilters filters, int numCandidates, double floor)
      throws IOException {
    Query q =
        ProductKnn.textQuery(
            vector,
            filters.isEmpty() ? null : LuceneQueries.filtered(IndexSchema.TYPE_PRODUCT, filters),
            numCandidates,
            h.metadata().vectorFormat());
    TopDocs top = h.searcher().search(q, numCandidates);
    int[] parents = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    for (int i = 0; i < parents.length; i++) {
      parents[i] = top.scoreDocs[i].doc;
      scores.put(parents[i], top.scoreDocs[i].score);
    }
    return MatchSet.aboveFloor(new IndexSearch.Ranked(parents, scores, Map.of()), floor);
  }
}
