package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.fusion.RankedList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the searches a hybrid query runs in the service, unfiltered, for judged queries: the image
 * kNN (one best image per product), BM25 and, when the generation has product text vectors, the
 * semantic list, each for {@code window} products (the service's first-page window), on any
 * backend's {@link CalibrationSource}. Queries are embedded in batches with the bundle's text
 * tower.
 */
public final class ListRetriever {
  /**
   * A query and its lists.
   *
   * @param query the judged query
   * @param vector the kNN list (product keys, similarity)
   * @param lexical the BM25 list (product keys, BM25)
   * @param semantic the semantic list (product keys, similarity; empty when the generation has no
   *     text vectors)
   */
  public record Lists(
      JudgedQuery query, RankedList vector, RankedList lexical, RankedList semantic) {

    /** A query's lists without a semantic list. */
    public Lists(JudgedQuery query, RankedList vector, RankedList lexical) {
      this(query, vector, lexical, RankedList.empty());
    }
  }

  private final CalibrationSource source;
  private final TextEncoder encoder;
  private final int window;
  private final int batchSize;

  /**
   * @param source the generation searched
   * @param encoder the bundle's text tower
   * @param window products per list
   * @param batchSize texts per encoder call
   */
  public ListRetriever(CalibrationSource source, TextEncoder encoder, int window, int batchSize) {
    if (window < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "window and batch size must be >= 1; got " + window + ", " + batchSize);
    }
    this.source = source;
    this.encoder = encoder;
    this.window = window;
    this.batchSize = batchSize;
  }

  /** Whether the generation has product text vectors (the lists have a semantic list). */
  public boolean semantic() {
    return source.semantic();
  }

  /** The lists of every query, in order. */
  public List<Lists> retrieve(List<JudgedQuery> queries) throws IOException {
    boolean semantic = source.semantic();
    List<Lists> out = new ArrayList<>(queries.size());
    for (int from = 0; from < queries.size(); from += batchSize) {
      List<JudgedQuery> batch = queries.subList(from, Math.min(queries.size(), from + batchSize));
      List<float[]> vectors = encoder.encode(batch.stream().map(JudgedQuery::text).toList());
      for (int i = 0; i < batch.size(); i++) {
        float[] v = vectors.get(i);
        out.add(
            new Lists(
                batch.get(i),
                source.knn(v, window),
                source.lexical(batch.get(i).text(), window),
                semantic ? source.semanticKnn(v, window) : RankedList.empty()));
      }
    }
    return out;
  }
}
