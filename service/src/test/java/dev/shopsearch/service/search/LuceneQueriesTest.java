package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

class LuceneQueriesTest {
  private final LuceneQueries queries = new LuceneQueries();

  static IndexMetadata schema(int version) {
    return TestIndex.metadata(version);
  }

  @Test
  void unfilteredKnnHasNoPreFilterAndAFilteredOneKeepsTheImageType() {
    assertThat(LuceneQueries.knnFilter(SearchFilters.of(null, null, null, null, null, null)))
        .isNull();

    String q =
        LuceneQueries.knnFilter(SearchFilters.of(null, List.of("red"), null, null, null, null))
            .toString();
    assertThat(q).contains("doc_type:image").contains("red");
  }

  @Test
  void currentSchemaMatchesCjkWordsOnTheTwinsAndOtherWordsOnTheEnglishFields() {
    String q = queries.lexical("red 碎花 dress", SearchFilters.NONE, schema(2)).toString();
    assertThat(q)
        .contains("name:red", "name:dress", "attributes_text:red", "description:dress")
        .contains("name_cjk:碎花", "categories_cjk:碎花", "attributes_cjk:碎花")
        .doesNotContain("name:碎", "name_cjk:碎 ", "name_cjk:red");
    assertThat(queries.lexical("!!", SearchFilters.NONE, schema(2))).isNull();
  }

  /**
   * An index of schema version 1 was analysed with Lucene's standard analyzer, Han text one
   * character per token, and has no twins: it is queried the same way, so it keeps answering as it
   * did until it is rebuilt.
   */
  @Test
  void schemaVersionOneIsQueriedAsItWasBuilt() throws IOException {
    String q = queries.lexical("碎花 dress", SearchFilters.NONE, schema(1)).toString();
    assertThat(q).contains("name:碎", "name:花", "name:dress").doesNotContain("_cjk", "attributes");

    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()))) {
        w.addDocument(version1Product("dress", "碎花连衣裙"));
        w.addDocument(version1Product("crusher", "碎冰机"));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(r);
        assertThat(ids(s, queries.lexical("碎花", SearchFilters.NONE, schema(1))))
            .containsExactly("dress", "crusher");
        assertThat(ids(s, queries.lexical("碎花", SearchFilters.NONE, schema(2))))
            .as("the current analysis finds nothing in an index without the twins")
            .isEmpty();
      }
    }
  }

  private static Document version1Product(String id, String name) {
    Document d = new Document();
    d.add(new StringField(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT, Field.Store.NO));
    d.add(new StringField(IndexSchema.PRODUCT_ID, id, Field.Store.YES));
    d.add(new TextField(IndexSchema.NAME, name, Field.Store.YES));
    return d;
  }

  private static List<String> ids(IndexSearcher s, Query q) throws IOException {
    List<String> out = new ArrayList<>();
    for (ScoreDoc sd : s.search(q, 10).scoreDocs) {
      out.add(s.storedFields().document(sd.doc).get(IndexSchema.PRODUCT_ID));
    }
    return out;
  }
}
