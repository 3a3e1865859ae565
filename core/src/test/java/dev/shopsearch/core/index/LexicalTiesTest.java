package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.junit.jupiter.api.Test;

class LexicalTiesTest {
  /**
   * Products whose text is one of three lengths (three tied score groups), written in a shuffled
   * order over several segments, some without a catalog row: after ordering, each tie lists its
   * products by row (those without one last, by doc id), the scores and the set of hits unchanged.
   */
  @Test
  void tiesComeInCatalogRowOrderWhateverTheWriteOrder() throws Exception {
    for (long seed : new long[] {1, 2, 3}) {
      Random rnd = new Random(seed);
      List<Integer> rows = new ArrayList<>();
      for (int r = 1; r <= 300; r++) {
        rows.add(r);
      }
      Collections.shuffle(rows, rnd);
      try (Directory dir = new ByteBuffersDirectory();
          IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 0; i < rows.size(); i++) {
          int row = rows.get(i);
          Document d = new Document();
          d.add(new TextField("t", "shirt" + " cotton".repeat(row % 3), Field.Store.NO));
          d.add(new StoredField("row", row));
          if (row % 17 != 0) {
            d.add(new NumericDocValuesField(IndexSchema.CATALOG_ROW, row));
          }
          w.addDocument(d);
          if (rnd.nextInt(40) == 0) {
            w.commit(); // several segments
          }
        }
        w.commit();
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
          assertThat(reader.leaves().size()).isGreaterThan(1);
          IndexSearcher searcher = new IndexSearcher(reader);
          ScoreDoc[] hits = searcher.search(new TermQuery(new Term("t", "shirt")), 300).scoreDocs;
          if (seed == 3) {
            shuffleTies(hits, rnd); // ties in another order than Lucene's doc id order
          }
          Map<Integer, Float> before = new HashMap<>();
          for (ScoreDoc h : hits) {
            before.put(h.doc, h.score);
          }
          LexicalTies.order(reader, hits);

          StoredFields stored = reader.storedFields();
          Set<Float> groups = new HashSet<>();
          for (int i = 0; i < hits.length; i++) {
            assertThat(before).containsEntry(hits[i].doc, hits[i].score);
            groups.add(hits[i].score);
            if (i == 0 || hits[i].score != hits[i - 1].score) {
              continue;
            }
            assertThat(hits[i].score).isLessThanOrEqualTo(hits[i - 1].score);
            int prev = stored.document(hits[i - 1].doc).getField("row").numericValue().intValue();
            int cur = stored.document(hits[i].doc).getField("row").numericValue().intValue();
            boolean prevMissing = prev % 17 == 0;
            boolean curMissing = cur % 17 == 0;
            if (prevMissing || curMissing) {
              assertThat(!prevMissing || curMissing)
                  .as("a product without a row comes after every row (seed %d)", seed)
                  .isTrue();
              if (prevMissing && curMissing) {
                assertThat(hits[i].doc).isGreaterThan(hits[i - 1].doc);
              }
            } else {
              assertThat(cur).as("seed %d", seed).isGreaterThan(prev);
            }
          }
          assertThat(hits).hasSize(300);
          assertThat(groups).hasSize(3);
          for (int i = 1; i < hits.length; i++) {
            assertThat(hits[i].score).isLessThanOrEqualTo(hits[i - 1].score);
          }
        }
      }
    }
  }

  private static void shuffleTies(ScoreDoc[] hits, Random rnd) {
    for (int i = 0; i < hits.length; ) {
      int end = i + 1;
      while (end < hits.length && hits[end].score == hits[i].score) {
        end++;
      }
      List<ScoreDoc> run = new ArrayList<>(List.of(hits).subList(i, end));
      Collections.shuffle(run, rnd);
      for (int p = i; p < end; p++) {
        hits[p] = run.get(p - i);
      }
      i = end;
    }
  }

  @Test
  void listsWithoutTiesAreLeftAsTheyAre() throws Exception {
    try (Directory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int i = 0; i < 5; i++) {
        Document d = new Document();
        d.add(new TextField("t", "shirt" + " cotton".repeat(i), Field.Store.NO));
        d.add(new NumericDocValuesField(IndexSchema.CATALOG_ROW, 100 - i));
        w.addDocument(d);
      }
      w.commit();
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        ScoreDoc[] hits =
            new IndexSearcher(reader).search(new TermQuery(new Term("t", "shirt")), 5).scoreDocs;
        int[] docs = new int[hits.length];
        for (int i = 0; i < hits.length; i++) {
          docs[i] = hits[i].doc;
        }
        LexicalTies.order(reader, hits);
        for (int i = 0; i < hits.length; i++) {
          assertThat(hits[i].doc).isEqualTo(docs[i]);
        }
        assertThat(docs).containsExactly(0, 1, 2, 3, 4);
      }
    }
  }
}
