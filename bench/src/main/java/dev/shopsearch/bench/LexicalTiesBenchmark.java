package dev.shopsearch.bench;

import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalTies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What ordering BM25 ties by catalog row costs the embedded lexical list (core {@link
 * LexicalTies}), which collects every match: a catalog of templated names ({@code "<colour>
 * <material> <type>"}, as generated catalogs and variant-heavy shops have), so that a query's
 * matches fall into a few huge ties; catalog rows following the write order (a fresh build) or not
 * (as after updates and merges); several segments. One operation runs four queries ({@code shirt},
 * {@code red shirt}, {@code cotton}, {@code blue linen dress}):
 *
 * <ul>
 *   <li>{@code scoreOnly}: count, then every match by score (the list before);
 *   <li>{@code tiesByRow}: the same, then {@link LexicalTies#order} (the list now);
 *   <li>{@code luceneSort}: every match sorted by (score, catalog row) with a Lucene {@link Sort}
 *       (the alternative measured 30–40× slower in an earlier scratch run).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx4g"})
@Threads(1)
public class LexicalTiesBenchmark {
  private static final String[] COLOURS = {
    "red", "blue", "green", "black", "white", "navy", "grey", "pink", "beige", "brown", "olive",
    "yellow"
  };
  private static final String[] MATERIALS = {"cotton", "linen", "wool", "denim", "silk"};
  private static final String[] TYPES = {
    "shirt", "dress", "jacket", "trousers", "skirt", "sweater", "coat", "shorts", "blouse", "top"
  };
  private static final String FIELD = "name";

  /** The index and the queries. */
  @State(Scope.Benchmark)
  public static class Catalog {
    @Param("200000")
    public int products;

    /**
     * {@code written}: rows follow the write order (a fresh build); {@code shuffled}: they do not.
     */
    @Param({"written", "shuffled"})
    public String rowOrder;

    DirectoryReader reader;
    IndexSearcher searcher;
    List<Query> queries;

    @Setup(Level.Trial)
    public void build() throws IOException {
      Random rnd = new Random(42);
      List<Integer> rows = new ArrayList<>();
      for (int r = 1; r <= products; r++) {
        rows.add(r);
      }
      if (rowOrder.equals("shuffled")) {
        Collections.shuffle(rows, rnd);
      }
      ByteBuffersDirectory dir = new ByteBuffersDirectory();
      try (IndexWriter w =
          new IndexWriter(
              dir, new IndexWriterConfig(new StandardAnalyzer()).setRAMBufferSizeMB(16))) {
        for (int row : rows) {
          Document d = new Document();
          String name =
              COLOURS[rnd.nextInt(COLOURS.length)]
                  + (rnd.nextBoolean() ? " " + MATERIALS[rnd.nextInt(MATERIALS.length)] : "")
                  + " "
                  + TYPES[rnd.nextInt(TYPES.length)];
          d.add(new TextField(FIELD, name, Field.Store.NO));
          d.add(new NumericDocValuesField(IndexSchema.CATALOG_ROW, row));
          w.addDocument(d);
        }
        w.commit();
      }
      reader = DirectoryReader.open(dir);
      searcher = new IndexSearcher(reader);
      queries =
          List.of(
              terms("shirt"),
              terms("red", "shirt"),
              terms("cotton"),
              terms("blue", "linen", "dress"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      reader.close();
    }

    private static Query terms(String... words) {
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (String w : words) {
        b.add(new TermQuery(new Term(FIELD, w)), BooleanClause.Occur.SHOULD);
      }
      return b.build();
    }

    ScoreDoc[] all(Query q) throws IOException {
      int n = searcher.count(q);
      return n == 0 ? new ScoreDoc[0] : searcher.search(q, n).scoreDocs;
    }
  }

  @Benchmark
  public int scoreOnly(Catalog c) throws IOException {
    int sum = 0;
    for (Query q : c.queries) {
      ScoreDoc[] hits = c.all(q);
      sum += hits.length == 0 ? 0 : hits[hits.length - 1].doc;
    }
    return sum;
  }

  @Benchmark
  public int tiesByRow(Catalog c) throws IOException {
    int sum = 0;
    for (Query q : c.queries) {
      ScoreDoc[] hits = c.all(q);
      LexicalTies.order(c.reader, hits);
      sum += hits.length == 0 ? 0 : hits[hits.length - 1].doc;
    }
    return sum;
  }

  @Benchmark
  public int luceneSort(Catalog c) throws IOException {
    Sort sort =
        new Sort(
            SortField.FIELD_SCORE, new SortField(IndexSchema.CATALOG_ROW, SortField.Type.LONG));
    int sum = 0;
    for (Query q : c.queries) {
      int n = c.searcher.count(q);
      if (n > 0) {
        ScoreDoc[] hits = c.searcher.search(q, n, sort, true).scoreDocs;
        sum += hits[hits.length - 1].doc;
      }
    }
    return sum;
  }
}
