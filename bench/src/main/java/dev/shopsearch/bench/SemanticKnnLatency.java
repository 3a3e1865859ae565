package dev.shopsearch.bench;

import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.core.index.ProductKnn;
import dev.shopsearch.core.index.VectorFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;

/**
 * Times the two kNN searches of a hybrid query on one index generation, in process: the image kNN
 * ({@link ProductKnn#query}, best photo per product) and the semantic list ({@link
 * ProductKnn#textQuery}, one text vector per product), 100 products each, unfiltered (as the
 * service searches without filters). The queries are the text vectors of every third product of the
 * index (no model needed), at most {@code queries}. Prints ms per query per round; the first round
 * is warm-up.
 *
 * <pre>
 * java -cp "bench/target/classes:indexer/target/lib/*" dev.shopsearch.bench.SemanticKnnLatency \
 *   INDEX_ROOT [queries=500] [rounds=4]
 * </pre>
 */
public final class SemanticKnnLatency {
  private SemanticKnnLatency() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: SemanticKnnLatency INDEX_ROOT [queries] [rounds]");
    }
    int max = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    try (OpenIndex open = new IndexGenerations(Path.of(args[0])).openCurrent()) {
      IndexReader reader = open.reader();
      if (!ProductKnn.hasTextVectors(reader)) {
        throw new IllegalArgumentException(
            "index " + args[0] + " has no product text vectors (schema version 4, text tower)");
      }
      IndexSearcher searcher = new IndexSearcher(reader);
      Query products = new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT));
      BitSetProducer parents = new QueryBitSetProducer(products);
      List<float[]> queries = queries(reader, max);
      VectorFormat format = open.metadata().vectorFormat();
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        for (float[] q : queries) {
          searcher.search(ProductKnn.query(q, null, 100, format, parents), 100);
        }
        long t1 = System.nanoTime();
        for (float[] q : queries) {
          searcher.search(ProductKnn.textQuery(q, null, 100, format), 100);
        }
        long t2 = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "round %d%s: %d queries, image kNN %.3f ms/query, semantic kNN %.3f ms/query%n",
            round,
            round == 0 ? " (warm-up)" : "",
            queries.size(),
            (t1 - t0) / 1e6 / queries.size(),
            (t2 - t1) / 1e6 / queries.size());
      }
    }
  }

  private static List<float[]> queries(IndexReader reader, int max) throws IOException {
    List<float[]> out = new ArrayList<>();
    for (LeafReaderContext leaf : reader.leaves()) {
      FloatVectorValues v = leaf.reader().getFloatVectorValues(IndexSchema.TEXT_VECTOR);
      if (v == null) {
        continue;
      }
      KnnVectorValues.DocIndexIterator it = v.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (out.size() >= max) {
          return out;
        }
        if (d % 3 == 0) {
          out.add(v.vectorValue(it.index()).clone());
        }
      }
    }
    return out;
  }
}
