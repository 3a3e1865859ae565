package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.ProductLabels;
import dev.shopsearch.core.search.RankedProducts;
import dev.shopsearch.core.search.SortField;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjIntConsumer;

/**
 * A backend's {@link ProductIndexView} as a {@link CalibrationSource} (the OpenSearch backend's
 * calibration): the lists are the view's own unfiltered {@link ProductIndexView#knn}, {@link
 * ProductIndexView#lexical} and {@link ProductIndexView#semanticKnn} — what the service fuses — and
 * keys are ordinals of product ids assigned here, so that the labels and every list name a product
 * alike. The view's keys are translated through {@link ProductIndexView#sortValues} with {@link
 * SortField#NONE} (the ids only: the OpenSearch view answers from its own ordinals, without a
 * call).
 */
public final class ViewCalibrationSource implements CalibrationSource {
  private final ProductIndexView view;
  private final Map<String, Integer> keys = new HashMap<>();

  /**
   * @param view the generation's view (the caller closes it)
   */
  public ViewCalibrationSource(ProductIndexView view) {
    this.view = view;
  }

  @Override
  public long generation() {
    return view.generation();
  }

  @Override
  public FusionSettings fusion() {
    return view.metadata().fusion();
  }

  @Override
  public void forEachProduct(ObjIntConsumer<ProductLabels> sink) throws IOException {
    view.forEachLabels(labels -> sink.accept(labels, key(labels.productId())));
  }

  @Override
  public boolean semantic() {
    return view.hasTextVectors();
  }

  @Override
  public RankedList knn(float[] vector, int window) throws IOException {
    return translate(view.knn(vector, ProductFilters.NONE, null, window), window);
  }

  @Override
  public RankedList lexical(String text, int window) throws IOException {
    return translate(view.lexical(text, ProductFilters.NONE), window);
  }

  @Override
  public RankedList semanticKnn(float[] vector, int window) throws IOException {
    return translate(view.semanticKnn(vector, ProductFilters.NONE, window), window);
  }

  /** The first {@code window} products of a view's list, under this source's keys. */
  private RankedList translate(RankedProducts list, int window) throws IOException {
    RankedList ranked = list.ranked();
    int n = Math.min(window, ranked.size());
    int[] viewKeys = Arrays.copyOf(ranked.keys(), n);
    String[] ids = view.sortValues(viewKeys, SortField.NONE).ids();
    int[] out = new int[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = key(ids[i]);
      scores[i] = ranked.scores()[i];
    }
    return new RankedList(out, scores);
  }

  private int key(String productId) {
    return keys.computeIfAbsent(productId, id -> keys.size());
  }
}
