package dev.shopsearch.indexer.calibrate;

import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.fusion.RankedList;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalQuery;
import dev.shopsearch.core.index.ProductKnn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.IndexReader;
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
 * Runs the searches a hybrid query runs in the service, unfiltered, for judged queries: the kNN
 * over image children, one best image per product ({@link ProductKnn}), BM25 over products ({@link
 * LexicalQuery}) and, when the index has product text vectors, the semantic list ({@link
 * ProductKnn#textQuery}, from the same query embedding), each for {@code window} products (the
 * service's first-page window).
 */
public final class ListRetriever {
  /**
   * A query and its two lists.
   *
   * @param query the judged query
   * @param vector the kNN list (parent doc ids, similarity)
   * @param lexical the BM25 list (parent doc ids, BM25)
   * @param semantic the semantic list (parent doc ids, similarity; empty when the index has no text
   *     vectors)
   */
  public record Lists(
      JudgedQuery query, RankedList vector, RankedList lexical, RankedList semantic) {

    /** A query's lists without a semantic list. */
    public Lists(JudgedQuery query, RankedList vector, RankedList lexical) {
      this(query, vector, lexical, RankedList.empty());
    }
  }

  private final IndexReader reader;
  private final IndexMetadata metadata;
  private final TextEncoder encoder;
  private final int window;
  private final int batchSize;
  private final IndexSearcher searcher;
  private final BitSetProducer parents =
      new QueryBitSetProducer(
          new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
  private final LexicalQuery lexical = new LexicalQuery();
  private final boolean semantic;

  /**
   * @param reader the index
   * @param metadata its metadata (vector format, schema version)
   * @param encoder the bundle's text tower
   * @param window products per list
   * @param batchSize texts per encoder call
   */
  public ListRetriever(
      IndexReader reader, IndexMetadata metadata, TextEncoder encoder, int window, int batchSize) {
    if (window < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "window and batch size must be >= 1; got " + window + ", " + batchSize);
    }
    this.reader = reader;
    this.metadata = metadata;
    this.encoder = encoder;
    this.window = window;
    this.batchSize = batchSize;
    this.searcher = new IndexSearcher(reader);
    this.semantic = ProductKnn.hasTextVectors(reader);
  }

  /** Whether the index has product text vectors (the lists have a semantic list). */
  public boolean semantic() {
    return semantic;
  }

  /** Both lists of every query, in order. */
  public List<Lists> retrieve(List<JudgedQuery> queries) throws IOException {
    List<Lists> out = new ArrayList<>(queries.size());
    for (int from = 0; from < queries.size(); from += batchSize) {
      List<JudgedQuery> batch = queries.subList(from, Math.min(queries.size(), from + batchSize));
      List<float[]> vectors = encoder.encode(batch.stream().map(JudgedQuery::text).toList());
      for (int i = 0; i < batch.size(); i++) {
        out.add(
            new Lists(
                batch.get(i),
                knn(vectors.get(i)),
                bm25(batch.get(i).text()),
                semantic ? meaning(vectors.get(i)) : RankedList.empty()));
      }
    }
    return out;
  }

  private RankedList knn(float[] vector) throws IOException {
    Query q = ProductKnn.query(vector, null, window, metadata.vectorFormat(), parents);
    TopDocs top = searcher.search(q, window);
    List<LeafReaderContext> leaves = reader.leaves();
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

  private RankedList meaning(float[] vector) throws IOException {
    Query q =
        ProductKnn.textQuery(
            vector,
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            window,
            metadata.vectorFormat());
    return ranked(searcher.search(q, window).scoreDocs);
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

  private RankedList bm25(String text) throws IOException {
    Query q =
        lexical.build(
            text,
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)),
            metadata);
    if (q == null) {
      return RankedList.empty();
    }
    return ranked(searcher.search(q, window).scoreDocs);
  }
}
