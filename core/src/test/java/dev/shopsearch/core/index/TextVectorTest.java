package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** The product text vector (schema version 4): written on the parent, searched by ProductKnn. */
class TextVectorTest {
  private final ProductDocuments docs = new ProductDocuments(4, Similarity.COSINE);

  private static ImageVector image() {
    return new ImageVector("a.jpg", 0, new float[] {1, 0, 0, 0});
  }

  @Test
  void theTextVectorIsOnTheParentAndSearchedByTheSemanticQuery() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w =
          new IndexWriter(
              dir,
              new IndexWriterConfig()
                  .setCodec(IndexCodecs.codec(VectorFormat.FLOAT, HnswParams.DEFAULT)))) {
        w.addDocuments(
            docs.block(
                IndexTestData.product("near", 1), List.of(image()), "h", unit(0, 1, 0, 0.1f)));
        w.addDocuments(
            docs.block(IndexTestData.product("far", 1), List.of(image()), "h", unit(0, 0, 1, 0)));
        w.addDocuments(docs.block(IndexTestData.product("none", 1), List.of(image()), "h"));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        assertThat(ProductKnn.hasTextVectors(r)).isTrue();
        IndexSearcher s = new IndexSearcher(r);
        TermQuery parents = new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT));
        ScoreDoc[] hits =
            s.search(ProductKnn.textQuery(unit(0, 1, 0, 0), parents, 5, VectorFormat.FLOAT), 5)
                .scoreDocs;
        // only parents with a text vector, nearest first; the images never match
        assertThat(hits).hasSize(2);
        assertThat(s.storedFields().document(hits[0].doc).get(IndexSchema.PRODUCT_ID))
            .isEqualTo("near");
        assertThat(s.storedFields().document(hits[1].doc).get(IndexSchema.PRODUCT_ID))
            .isEqualTo("far");
        // without a filter too: only parents carry text vectors
        ScoreDoc[] unfiltered =
            s.search(ProductKnn.textQuery(unit(0, 1, 0, 0), null, 5, VectorFormat.FLOAT), 5)
                .scoreDocs;
        assertThat(unfiltered).extracting(h -> h.doc).containsExactly(hits[0].doc, hits[1].doc);
      }
    }
  }

  @Test
  void anIndexWithoutTextVectorsSaysSoAndAWrongDimensionIsRefused() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
        w.addDocuments(docs.block(IndexTestData.product("p", 1), List.of(image()), "h"));
      }
      try (DirectoryReader r = DirectoryReader.open(dir)) {
        assertThat(ProductKnn.hasTextVectors(r)).isFalse();
      }
    }
    Product p = IndexTestData.product("sku", 1);
    assertThatThrownBy(() -> docs.block(p, List.of(image()), "h", new float[3]))
        .hasMessageContaining("product sku: text vector has 3 floats; index dim=4");
  }

  @Test
  void theProductTextIsNameAndDescription() {
    Product p =
        new Product(
            "x",
            " Running Shoes ",
            "light and fast ",
            List.of("Men / Shoes"),
            "Black",
            1.0,
            null,
            List.of("a.jpg"),
            Map.of(),
            1);
    assertThat(ProductText.of(p)).isEqualTo("Running Shoes. light and fast");
    assertThat(ProductText.of("Shoes", null)).isEqualTo("Shoes");
    assertThat(ProductText.of(" ", "")).isEmpty();
    assertThat(ProductText.of("a".repeat(3000), "b")).hasSize(ProductText.MAX_CHARS);
  }

  private static float[] unit(float... v) {
    return IndexTestData.unit(v);
  }
}
