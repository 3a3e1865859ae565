package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.catalog.Product;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.Test;

class ProductDocumentsTest {
  private final ProductDocuments docs = new ProductDocuments(4, Similarity.COSINE);

  private static ImageVector image(int ordinal) {
    return new ImageVector("img" + ordinal + ".jpg", ordinal, new float[] {1, 0, 0, ordinal});
  }

  @Test
  void blockIsChildrenThenParent() {
    Product p = IndexTestData.product("sku-1", 2);
    List<Document> block = docs.block(p, List.of(image(0), image(1)), "hash-1");
    assertThat(block).hasSize(3);
    assertThat(block.get(0).getField(IndexSchema.VECTOR)).isNotNull();
    assertThat(block.get(1).get(IndexSchema.IMAGE_REF)).isEqualTo("img1.jpg");
    Document parent = block.get(2);
    assertThat(parent.get(IndexSchema.DOC_TYPE)).isEqualTo(IndexSchema.TYPE_PRODUCT);
    assertThat(parent.getField(IndexSchema.VECTOR)).isNull();
    assertThat(parent.get(IndexSchema.CONTENT_HASH)).isEqualTo("hash-1");
    assertThat(parent.get(IndexSchema.IMAGE_URL)).isEqualTo("images/sku-1-0.jpg");
    assertThat(parent.getValues(IndexSchema.IMAGES)).hasSize(2);
  }

  @Test
  void categoryKeysAreLowerCasedPrefixes() {
    assertThat(ProductDocuments.categoryKeys(List.of("Men / Tops / Hoodies", "Gear/Bags", " / ")))
        .containsExactly("men", "men/tops", "men/tops/hoodies", "gear", "gear/bags");
  }

  @Test
  void refusesWrongDimensionAndNoImages() {
    Product p = IndexTestData.product("sku-2", 1);
    assertThatThrownBy(() -> docs.block(p, List.of(new ImageVector("a", 0, new float[3])), "h"))
        .hasMessageContaining("product sku-2 image a: vector has 3 floats; index dim=4");
    assertThatThrownBy(() -> docs.block(p, List.of(), "h")).hasMessageContaining("no image vector");
  }

  @Test
  void filterFieldsMatchOnParentAndChildren() throws IOException {
    Product p =
        new Product(
            "sku-3",
            "Hoodie",
            "warm",
            List.of("Men / Tops"),
            " Navy Blue ",
            42.0,
            Boolean.FALSE,
            List.of("a.jpg"),
            Map.of("Season", List.of("Winter", "winter")),
            7);
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      w.addDocuments(docs.block(p, List.of(image(0)), "h"));
      w.addDocuments(docs.block(IndexTestData.product("other", 1), List.of(image(0)), "h"));
      w.commit();
      try (DirectoryReader r = DirectoryReader.open(w)) {
        IndexSearcher s = new IndexSearcher(r);
        BooleanQuery q =
            new BooleanQuery.Builder()
                .add(
                    new TermQuery(new Term(IndexSchema.CATEGORY, "men/tops")),
                    BooleanClause.Occur.FILTER)
                .add(
                    new TermQuery(new Term(IndexSchema.COLOUR, "navy blue")),
                    BooleanClause.Occur.FILTER)
                .add(
                    new TermQuery(new Term(IndexSchema.IN_STOCK, "false")),
                    BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term("attr.season", "winter")), BooleanClause.Occur.FILTER)
                .add(
                    DoublePoint.newRangeQuery(IndexSchema.PRICE, 40, 45),
                    BooleanClause.Occur.FILTER)
                .build();
        assertThat(s.count(q)).isEqualTo(2); // sku-3's image child and its parent
        w.deleteDocuments(ProductDocuments.idTerm("sku-3"));
        w.commit();
      }
      try (DirectoryReader r = DirectoryReader.open(w)) {
        assertThat(r.numDocs()).as("delete by id removes the whole block").isEqualTo(2);
      }
    }
  }

  private static Product named(String id, String name, Map<String, List<String>> attributes) {
    return new Product(
        id, name, "", List.of("Home"), null, 1.0, null, List.of("a.jpg"), attributes, 1);
  }

  @Test
  void textFieldsGetACjkTwinOnlyWhenTheyHoldCjkText() {
    Product p =
        new Product(
            "sku-4",
            "Floral Dress 碎花连衣裙",
            "light and airy",
            List.of("Women / Dresses"),
            "Red",
            9.0,
            null,
            List.of("a.jpg"),
            Map.of("pattern", List.of("floral"), "caption_zh", List.of("红色碎花连衣裙")),
            1);
    Document parent = docs.block(p, List.of(image(0)), "h").getLast();
    assertThat(parent.get(IndexSchema.NAME_CJK)).isEqualTo("Floral Dress 碎花连衣裙");
    assertThat(parent.getField(IndexSchema.DESCRIPTION_CJK)).isNull();
    assertThat(parent.getField(IndexSchema.CATEGORIES_CJK)).isNull();
    assertThat(parent.get(IndexSchema.ATTRIBUTES_TEXT))
        .as("colour, then attribute values by attribute name")
        .isEqualTo("Red \n 红色碎花连衣裙 \n floral");
    assertThat(parent.get(IndexSchema.ATTRIBUTES_CJK)).contains("红色碎花连衣裙");
    assertThat(parent.get(IndexSchema.SPELLING))
        .contains("Floral Dress", "Women / Dresses", "floral", "light and airy");
    assertThat(parent.getField(IndexSchema.SPELLING).fieldType().stored()).isFalse();
  }

  @Test
  void aChineseWordMatchesTheWordNotProductsSharingOneOfItsCharacters() throws IOException {
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(LexicalAnalysis.indexing()));
        Analyzer querying = LexicalAnalysis.querying()) {
      w.addDocuments(docs.block(named("dress", "碎花连衣裙", Map.of()), List.of(image(0)), "h"));
      w.addDocuments(docs.block(named("crusher", "碎冰机", Map.of()), List.of(image(0)), "h"));
      w.addDocuments(docs.block(named("chair", "花园椅", Map.of()), List.of(image(0)), "h"));
      w.addDocuments(
          docs.block(
              named("tagged", "Summer Dress", Map.of("caption_zh", List.of("碎花"))),
              List.of(image(0)),
              "h"));
      w.commit();
      try (DirectoryReader r = DirectoryReader.open(w)) {
        IndexSearcher s = new IndexSearcher(r);
        QueryBuilder qb = new QueryBuilder(querying);
        assertThat(ids(s, qb.createBooleanQuery(IndexSchema.NAME_CJK, "碎花")))
            .containsExactly("dress");
        assertThat(ids(s, qb.createBooleanQuery(IndexSchema.ATTRIBUTES_CJK, "碎花")))
            .containsExactly("tagged");
        assertThat(ids(s, qb.createBooleanQuery(IndexSchema.NAME_CJK, "花")))
            .as("one character still finds every product with it")
            .containsExactlyInAnyOrder("dress", "chair");
        assertThat(qb.createBooleanQuery(IndexSchema.NAME, "碎花"))
            .as("no single-character terms on the English field")
            .isNull();
      }
    }
  }

  private static List<String> ids(IndexSearcher s, Query q) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    for (var hit : s.search(q, 10).scoreDocs) {
      out.add(s.storedFields().document(hit.doc).get(IndexSchema.PRODUCT_ID));
    }
    return out;
  }
}
