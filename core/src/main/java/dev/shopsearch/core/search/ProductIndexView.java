package dev.shopsearch.core.search;

import dev.shopsearch.core.index.IndexMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a search backend does for one query, over one published generation. Products are named by
 * <em>keys</em>: non-negative ints valid only within this view (Lucene: parent doc ids; a remote
 * engine: ordinals it assigns as products appear), so that fusion, match sets and paging above the
 * seam work on int keys alike.
 *
 * <p>Every backend guarantees:
 *
 * <ul>
 *   <li><b>one hit per product</b>: a ranked list names each product at most once (kNN over the
 *       images of a product is diversified by product, scored by its best image);
 *   <li><b>pre-filtering</b>: filters apply <em>before</em> the nearest neighbours are chosen, so a
 *       filtered kNN returns up to {@code candidates} products that all pass the filters (never the
 *       unfiltered top-k cut down afterwards);
 *   <li><b>candidates / recall knob</b>: {@code candidates} is both the list length and the
 *       approximate search's exploration width; recall against an exact search grows with it;
 *   <li><b>generation swap</b>: a view sees exactly one generation from {@link
 *       SearchBackend#acquire} to {@link #close}; a new generation becomes visible atomically and
 *       only once complete;
 *   <li><b>same filter semantics</b> as {@link ProductFilters} describes, on every method taking
 *       one.
 * </ul>
 *
 * <p>Implementations are used by one request thread at a time.
 */
public interface ProductIndexView extends AutoCloseable {
  /** The generation number this view searches. */
  long generation();

  /** The generation's metadata (model hash, schema version, fusion calibration, ...). */
  IndexMetadata metadata();

  /** The attribute names ({@code attr.<name>}) some product of this generation has, sorted. */
  List<String> attributes() throws IOException;

  /**
   * The query text with words unknown to the index vocabulary corrected, or empty when nothing
   * needs correcting or the backend has no vocabulary to correct against.
   *
   * @param searchNew false to apply only remembered corrections (a tight deadline)
   */
  Optional<String> correctSpelling(String text, boolean searchNew);

  /**
   * The {@code candidates} products whose best image is nearest to {@code vector} among those
   * passing {@code filters} (pre-filtered), best first, each with its best image.
   *
   * @param excludeProduct a product id to leave out (similar products), or null
   */
  RankedProducts knn(float[] vector, ProductFilters filters, String excludeProduct, int candidates)
      throws IOException;

  /**
   * Every BM25 match of {@code text} over the analysed product fields (name, description, category
   * text) among the products passing {@code filters}, best first (a remote engine may cap the list;
   * it documents the cap).
   */
  RankedProducts lexical(String text, ProductFilters filters) throws IOException;

  /**
   * Whether the generation has product text vectors (the semantic list of a hybrid search). A
   * backend whose index has none (an older schema, built without the text tower, or a mapping
   * without the field) answers false, and {@link #semanticKnn} is not asked.
   */
  boolean hasTextVectors();

  /**
   * The {@code candidates} products whose text vector is nearest to {@code vector} among those
   * passing {@code filters} (pre-filtered), best first, without best images. Empty when the
   * generation has no text vectors ({@link #hasTextVectors}).
   */
  RankedProducts semanticKnn(float[] vector, ProductFilters filters, int candidates)
      throws IOException;

  /** Whether the generation carries {@code field} (e.g. {@link SortField#CATALOG_ROW}). */
  boolean hasSortField(SortField field) throws IOException;

  /** The product ids and the values of {@code field} of {@code keys}, same order. */
  SortValues sortValues(int[] keys, SortField field) throws IOException;

  /**
   * The first {@code n} of the products {@code keys} in the order of {@code field} (ascending, or
   * descending when {@code descending}; products without a value last; product id ascending on
   * equal values: {@link SortedKeys#compare}), strictly after {@code after} when given: one page of
   * a sorted match set, without sorting the whole set. The default reads every key's {@link
   * #sortValues} and keeps a bounded heap of {@code n}; the embedded backend collects a sorted
   * top-N over its doc values instead.
   *
   * @param field {@link SortField#PRICE} or {@link SortField#CATALOG_ROW}
   * @param after the position to resume after (a cursor), or null
   * @param n how many to return at most
   */
  default SortedKeys sortedTop(
      int[] keys, SortField field, boolean descending, SortPosition after, int n)
      throws IOException {
    if (field == SortField.NONE) {
      throw new IllegalArgumentException("sortedTop needs a sort field, not NONE");
    }
    if (n <= 0 || keys.length == 0) {
      return SortedKeys.empty();
    }
    return SortedKeys.select(keys, sortValues(keys, field), descending, after, n);
  }

  /**
   * How many of the products {@code keys} have each value of the keyword field {@code field}
   * (category keys, colour, in-stock flag, {@code attr.<name>}); a product with several values
   * counts once for each.
   */
  Map<String, Integer> keywordCounts(int[] keys, String field) throws IOException;

  /**
   * How many of the products {@code keys} have a value of the numeric field {@code field} in each
   * bucket: {@code bounds} ascending, bucket {@code i} is {@code [bounds[i-1], bounds[i])}, the
   * first open below, the last open above. Products without a value are not counted.
   */
  int[] rangeCounts(int[] keys, String field, List<Double> bounds) throws IOException;

  /** The number of distinct values of a keyword field in the generation (a lower bound). */
  long cardinality(String field) throws IOException;

  /** The display fields of the products {@code keys}, same order. */
  List<ProductCard> cards(int[] keys) throws IOException;

  /** The stored reference of an image named by {@link RankedProducts#bestImage}. */
  String imageRef(int imageKey) throws IOException;

  /**
   * The normalised mean of a product's image vectors (similar products), or null when the product
   * is unknown or has no image vector.
   */
  float[] productVector(String productId) throws IOException;

  /** Whether a product with this id is in the generation. */
  boolean productExists(String productId) throws IOException;

  /**
   * Hands every product of this generation (products only, not their images) to {@code sink}, once
   * each, in no particular order: what autocompletion and the indexer's fusion calibration are
   * built from. The embedded backend reads the stored fields of the live product documents; a
   * remote engine pages the generation's sources (only these fields) in bounded pages, each call
   * bounded by the view's deadline.
   *
   * @throws BackendUnavailableException when a remote engine cannot be reached or times out
   */
  void forEachLabels(Consumer<ProductLabels> sink) throws IOException;

  /** Releases the view (its reference on the generation). */
  @Override
  void close();
}
