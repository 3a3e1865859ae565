package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.fusion.FusionSettings;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalQuery;
import dev.shopsearch.core.index.LexicalTies;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.search.LuceneLabels;
import dev.shopsearch.core.search.ProductLabels;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ObjIntConsumer;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;

/**
 * An opened embedded generation as a {@link CalibrationSource}: keys are parent (product) doc ids;
 * the lists are the service's queries — the kNN over image children with one best image per product
 * ({@link ProductKnn}), BM25 over products ({@link LexicalQuery}) and the product text vectors
 * ({@link ProductKnn#textQuery}).
 */
public final class LuceneCalibrationSource implements CalibrationSource {
  private final OpenIndex index;
  private final IndexSearcher searcher;
  private final BitSetProducer parents =
      new QueryBitSetProducer(
          new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
  private final LexicalQuery lexical = new LexicalQuery();
  private final boolean semantic;

  /**
   * @param index the generation (the caller closes it)
   */
  public LuceneCalibrationSource(OpenIndex index) throws IOException {
    this.index = index;
    this.searcher = new IndexSearcher(index.reader());
    this.semantic = ProductKnn.hasTextVectors(index.reader());
  }

  @Override
  public long generation() {
    return index.generation().number();
  }

  @Override
  public FusionSettings fusion() {
    return index.metadata().fusion();
  }

  @Override
  public void forEachProduct(ObjIntConsumer<ProductLabels> sink) throws IOException {
    LuceneLabels.forEach(index.reader(), sink);
  }

  @Override
  public boolean semantic() {
    return semantic;
  }

  @Override
  public RankedList knn(float[] vector, int window) throws IOException {
    Query q = ProductKnn.query(vector, null, window, index.metadata().vectorFormat(), parents);
    TopDocs top = searcher.search(q, window);
    List<LeafReaderContext> leaves = index.reader().leaves();
    int[] keys = new int[top.scoreDocs.length];
    float[] scores = new float[keys.length];
    Set<Integer> seen = new HashSet<>();
    int n = 0;
    for (ScoreDoc sd : top.scoreDocs) {
      int parent = ProductKnn.parentOf(parents, leaves, sd.doc);
      if (parent >= 0 && seen.add(parent)) {
        keys[n] = parent;
        scores[n++] = sd.score;
      }
    }
    return new RankedList(Arrays.copyOf(keys, n), Arrays.copyOf(scores, n));
  }

  @Override
  public RankedList lexical(String text, int window) throws IOException {
    Query q = lexical.build(text, products(), index.metadata());
    int matches = q == null ? 0 : searcher.count(q);
    if (matches == 0) {
      return RankedList.empty();
    }
    // every match, ties in catalog order as the service orders them, then the window
    ScoreDoc[] hits = searcher.search(q, matches).scoreDocs;
    LexicalTies.order(index.reader(), hits);
    return ranked(Arrays.copyOf(hits, Math.min(window, hits.length)));
  }

  @Override
  public RankedList semanticKnn(float[] vector, int window) throws IOException {
    Query q = ProductKnn.textQuery(vector, products(), window, index.metadata().vectorFormat());
    return ranked(searcher.search(q, window).scoreDocs);
  }

  private static TermQuery products() {
    return new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT));
  }

  private static RankedList ranked(ScoreDoc[] hits) {
    int[] keys = new int[hits.length];
    float[] scores = new float[hits.length];
    for (int i = 0; i < hits.length; i++) {
      keys[i] = hits[i].doc;
      scores[i] = hits[i].score;
    }
    return new RankedList(keys, scores);
  }
}
