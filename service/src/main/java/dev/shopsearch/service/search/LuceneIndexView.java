package dev.shopsearch.service.search;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalTies;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.search.LuceneLabels;
import dev.shopsearch.core.search.ProductCard;
import dev.shopsearch.core.search.ProductFilters;
import dev.shopsearch.core.search.ProductIndexView;
import dev.shopsearch.core.search.ProductLabels;
import dev.shopsearch.core.search.RankedProducts;
import dev.shopsearch.core.search.SortField;
import dev.shopsearch.core.search.SortPosition;
import dev.shopsearch.core.search.SortValues;
import dev.shopsearch.core.search.SortedKeys;
import dev.shopsearch.service.facets.DocValueCounts;
import dev.shopsearch.service.index.IndexHandle;
import dev.shopsearch.service.spelling.SpellCorrector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.VectorUtil;

/**
 * The embedded backend's {@link ProductIndexView} over one {@link IndexHandle}: kNN over image
 * children (one best child per product), BM25 over products, doc-value facet counts and sort
 * values, stored-field cards. Keys are parent (product) doc ids, image keys child doc ids. Holds
 * the handle's reference until {@link #close}.
 */
final class LuceneIndexView implements ProductIndexView {
  private static final Set<String> CARD_FIELDS =
      Set.of(
          IndexSchema.PRODUCT_ID,
          IndexSchema.NAME,
          IndexSchema.PRICE_STORED,
          IndexSchema.IMAGE_URL);

  private final IndexSearcher searcher;
  private final BitSetProducer parents;
  private final IndexMetadata metadata;
  private final long generation;
  private final Runnable release;
  private final SpellCorrector speller;
  private final LuceneQueries queries;

  private LuceneIndexView(
      IndexSearcher searcher,
      BitSetProducer parents,
      IndexMetadata metadata,
      long generation,
      Runnable release,
      SpellCorrector speller,
      LuceneQueries queries) {
    this.searcher = searcher;
    this.parents = parents;
    this.metadata = metadata;
    this.generation = generation;
    this.release = release;
    this.speller = speller;
    this.queries = queries;
  }

  /** A view over an acquired handle; closing the view releases the handle. */
  static LuceneIndexView of(IndexHandle h, SpellCorrector speller, LuceneQueries queries) {
    return new LuceneIndexView(
        h.searcher(), h.parents(), h.metadata(), h.generation(), h::close, speller, queries);
  }

  /** A view over a bare reader (tests of the parts that read doc values only). */
  static LuceneIndexView ofReader(IndexReader reader, long generation) {
    return new LuceneIndexView(
        new IndexSearcher(reader),
        null,
        null,
        generation,
        () -> {},
        new SpellCorrector(),
        new LuceneQueries());
  }

  IndexReader reader() {
    return searcher.getIndexReader();
  }

  @Override
  public long generation() {
    return generation;
  }

  @Override
  public IndexMetadata metadata() {
    return metadata;
  }

  @Override
  public List<String> attributes() {
    return FilterFields.attributes(reader());
  }

  @Override
  public Optional<String> correctSpelling(String text, boolean searchNew) {
    return speller.correct(reader(), metadata, text, searchNew);
  }

  /**
   * kNN with the filters as the child pre-filter, diversified to one child per product ({@link
   * ProductKnn#query}: quantised formats are over-sampled and rescored with the stored
   * full-precision vectors).
   */
  @Override
  public RankedProducts knn(
      float[] vector, ProductFilters filters, String excludeProduct, int candidates)
      throws IOException {
    Query childFilter = childFilter(SearchFilters.from(filters), excludeProduct);
    Query q = ProductKnn.query(vector, childFilter, candidates, metadata.vectorFormat(), parents);
    TopDocs top = searcher.search(q, candidates);
    List<LeafReaderContext> leaves = reader().leaves();
    int[] keys = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    Map<Integer, Integer> best = new HashMap<>();
    int n = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      int parent = ProductKnn.parentOf(parents, leaves, sd.doc);
      if (parent < 0 || best.containsKey(parent)) {
        continue;
      }
      keys[n++] = parent;
      scores.put(parent, sd.score);
      best.put(parent, sd.doc);
    }
    return new RankedProducts(Arrays.copyOf(keys, n), scores, best);
  }

  /** {@link LuceneQueries#knnFilter}, plus the excluded product's own images when given. */
  private static Query childFilter(SearchFilters filters, String excludeProduct) {
    if (excludeProduct == null) {
      return LuceneQueries.knnFilter(filters);
    }
    BooleanQuery.Builder child = new BooleanQuery.Builder();
    child.add(LuceneQueries.filtered(IndexSchema.TYPE_IMAGE, filters), Occur.FILTER);
    child.add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, excludeProduct)), Occur.MUST_NOT);
    return child.build();
  }

  /** Every BM25 match among the product documents, best first. */
  @Override
  public RankedProducts lexical(String text, ProductFilters filters) throws IOException {
    Query lq = queries.lexical(text, SearchFilters.from(filters), metadata);
    if (lq == null) {
      return RankedProducts.empty();
    }
    int matches = searcher.count(lq);
    if (matches == 0) {
      return RankedProducts.empty();
    }
    TopDocs top = searcher.search(lq, matches);
    LexicalTies.order(reader(), top.scoreDocs);
    int[] keys = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      keys[i] = top.scoreDocs[i].doc;
      scores.put(keys[i], top.scoreDocs[i].score);
    }
    return new RankedProducts(keys, scores, Map.of());
  }

  /** Whether some segment has {@link IndexSchema#TEXT_VECTOR} vectors ({@link ProductKnn}). */
  @Override
  public boolean hasTextVectors() {
    return ProductKnn.hasTextVectors(reader());
  }

  /**
   * kNN over the product text vectors ({@link ProductKnn#textQuery}), the filters as the pre-filter
   * on product documents (none without filters: only products carry text vectors).
   */
  @Override
  public RankedProducts semanticKnn(float[] vector, ProductFilters filters, int candidates)
      throws IOException {
    SearchFilters f = SearchFilters.from(filters);
    Query q =
        ProductKnn.textQuery(
            vector,
            f.isEmpty() ? null : LuceneQueries.filtered(IndexSchema.TYPE_PRODUCT, f),
            candidates,
            metadata.vectorFormat());
    TopDocs top = searcher.search(q, candidates);
    int[] keys = new int[top.scoreDocs.length];
    Map<Integer, Float> scores = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      keys[i] = top.scoreDocs[i].doc;
      scores.put(keys[i], top.scoreDocs[i].score);
    }
    return new RankedProducts(keys, scores, Map.of());
  }

  /** Lucene's sorted top-N over the keys' doc values ({@link SortedTopN}), no whole-set sort. */
  @Override
  public SortedKeys sortedTop(
      int[] keys, SortField field, boolean descending, SortPosition after, int n)
      throws IOException {
    if (field == SortField.NONE) {
      throw new IllegalArgumentException("sortedTop needs a sort field, not NONE");
    }
    return SortedTopN.top(reader(), keys, field, descending, after, n);
  }

  @Override
  public boolean hasSortField(SortField field) {
    String name = fieldName(field);
    return name == null || FieldInfos.getMergedFieldInfos(reader()).fieldInfo(name) != null;
  }

  private static String fieldName(SortField field) {
    return switch (field) {
      case NONE -> null;
      case PRICE -> IndexSchema.PRICE;
      case CATALOG_ROW -> IndexSchema.CATALOG_ROW;
    };
  }

  /**
   * The {@link IndexSchema#PRODUCT_ID} doc values and the {@link IndexSchema#PRICE} (sortable
   * double) or {@link IndexSchema#CATALOG_ROW} (long) doc values, read in doc id order.
   */
  @Override
  public SortValues sortValues(int[] keys, SortField field) throws IOException {
    String name = fieldName(field);
    Integer[] byDoc = new Integer[keys.length];
    for (int i = 0; i < byDoc.length; i++) {
      byDoc[i] = i;
    }
    Arrays.sort(byDoc, (a, b) -> Integer.compare(keys[a], keys[b]));
    String[] ids = new String[keys.length];
    double[] values = new double[keys.length];
    boolean[] missing = new boolean[keys.length];
    List<LeafReaderContext> leaves = reader().leaves();
    LeafReaderContext leaf = null;
    SortedDocValues idValues = null;
    NumericDocValues numbers = null;
    for (int i : byDoc) {
      int doc = keys[i];
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
        leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        idValues = DocValues.getSorted(leaf.reader(), IndexSchema.PRODUCT_ID);
        numbers = name == null ? null : DocValues.getNumeric(leaf.reader(), name);
      }
      int local = doc - leaf.docBase;
      ids[i] =
          idValues.advanceExact(local)
              ? idValues.lookupOrd(idValues.ordValue()).utf8ToString()
              : "";
      if (numbers == null) {
        continue;
      }
      if (numbers.advanceExact(local)) {
        long raw = numbers.longValue();
        values[i] = field == SortField.CATALOG_ROW ? raw : NumericUtils.sortableLongToDouble(raw);
      } else {
        missing[i] = true;
      }
    }
    return new SortValues(ids, values, missing);
  }

  @Override
  public Map<String, Integer> keywordCounts(int[] keys, String field) throws IOException {
    return DocValueCounts.keywords(reader(), bits(keys), field);
  }

  @Override
  public int[] rangeCounts(int[] keys, String field, List<Double> bounds) throws IOException {
    return DocValueCounts.ranges(reader(), bits(keys), field, bounds);
  }

  private FixedBitSet bits(int[] keys) {
    FixedBitSet b = new FixedBitSet(Math.max(1, reader().maxDoc()));
    for (int d : keys) {
      b.set(d);
    }
    return b;
  }

  /** Distinct values of a keyword field (the largest segment's count: a lower bound). */
  @Override
  public long cardinality(String field) throws IOException {
    long max = 0;
    for (LeafReaderContext leaf : reader().leaves()) {
      max = Math.max(max, DocValues.getSortedSet(leaf.reader(), field).getValueCount());
    }
    return max;
  }

  @Override
  public List<ProductCard> cards(int[] keys) throws IOException {
    var stored = searcher.storedFields();
    List<ProductCard> out = new ArrayList<>(keys.length);
    for (int key : keys) {
      Document d = stored.document(key, CARD_FIELDS);
      Number price =
          d.getField(IndexSchema.PRICE_STORED) == null
              ? null
              : d.getField(IndexSchema.PRICE_STORED).numericValue();
      out.add(
          new ProductCard(
              d.get(IndexSchema.PRODUCT_ID),
              d.get(IndexSchema.NAME),
              price == null ? null : price.doubleValue(),
              d.get(IndexSchema.IMAGE_URL)));
    }
    return out;
  }

  @Override
  public String imageRef(int imageKey) throws IOException {
    return searcher
        .storedFields()
        .document(imageKey, Set.of(IndexSchema.IMAGE_REF))
        .get(IndexSchema.IMAGE_REF);
  }

  /** The normalised mean of the product's stored image vectors (no encode). */
  @Override
  public float[] productVector(String productId) throws IOException {
    Query children =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, productId)), Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_IMAGE)), Occur.FILTER)
            .build();
    TopDocs top = searcher.search(children, 64);
    List<LeafReaderContext> leaves = reader().leaves();
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

  @Override
  public boolean productExists(String productId) throws IOException {
    Query q =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(IndexSchema.PRODUCT_ID, productId)), Occur.FILTER)
            .add(
                new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
                Occur.FILTER)
            .build();
    return searcher.count(q) > 0;
  }

  @Override
  public void forEachLabels(Consumer<ProductLabels> sink) throws IOException {
    LuceneLabels.forEach(searcher.getIndexReader(), sink);
  }

  @Override
  public void close() {
    release.run();
  }
}
