package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.search.ProductLabels;
import java.io.IOException;
import java.util.function.ObjIntConsumer;

/**
 * One published generation of a backend, as calibration reads it: its products (the judged queries
 * are made from them) and the three unfiltered lists a hybrid query fuses in the service. Products
 * are named by int <em>keys</em> that are the same in {@link #forEachProduct} and in every list,
 * for the source's lifetime. One implementation per backend: {@link LuceneCalibrationSource} (an
 * opened embedded generation, the service's own Lucene queries) and {@link ViewCalibrationSource}
 * (any backend's {@link dev.shopsearch.core.search.ProductIndexView}, e.g. OpenSearch).
 */
public interface CalibrationSource {
  /** The generation's number. */
  long generation();

  /** The fusion settings the generation carries, or null when it was never calibrated. */
  FusionSettings fusion();

  /** Hands every product's labels and key to {@code sink}, once each. */
  void forEachProduct(ObjIntConsumer<ProductLabels> sink) throws IOException;

  /** Whether the generation has product text vectors (queries get a semantic list). */
  boolean semantic();

  /** The {@code window} products whose best image is nearest {@code vector}, best first. */
  RankedList knn(float[] vector, int window) throws IOException;

  /** The first {@code window} BM25 matches of {@code text}, best first (empty for no terms). */
  RankedList lexical(String text, int window) throws IOException;

  /** The {@code window} products whose text vector is nearest {@code vector}, best first. */
  RankedList semanticKnn(float[] vector, int window) throws IOException;
}
