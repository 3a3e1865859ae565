package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.RankedProducts;
import java.io.IOException;

/**
 * The third list of a hybrid search: products whose text vector ({@link IndexSchema#TEXT_VECTOR},
 * the text tower's embedding of name and description, written at index time) is nearest to the
 * query's embedding, the one the image kNN already uses (no extra encode). It finds products whose
 * text means what the query says without sharing its words ("sneakers" → "running shoes"). Searched
 * only when the served generation has text vectors (schema version 4, built with the text tower)
 * and the fusion gives it a weight above 0. Searched through the backend seam ({@link
 * ProductIndexView#semanticKnn}); a backend without text vectors ({@link
 * ProductIndexView#hasTextVectors} false, e.g. a generation built with {@code --no-text-vectors})
 * is served without it. Stateless.
 */
final class SemanticList {
  private SemanticList() {}

  /** Whether the served generation has product text vectors. */
  static boolean available(ProductIndexView view) {
    return view.hasTextVectors();
  }

  /**
   * The {@code numCandidates} nearest products that pass the filters (the pre-filter on product
   * documents) and whose similarity reaches {@code floor}, best first.
   */
  static RankedProducts search(
      ProductIndexView view, float[] vector, SearchFilters filters, int numCandidates, double floor)
      throws IOException {
    return MatchSet.aboveFloor(view.semanticKnn(vector, filters.product(), numCandidates), floor);
  }
}
