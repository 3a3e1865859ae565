package dev.shopsearch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliberately broken catalogs yield exactly the expected rejects and never abort. */
class BrokenCatalogTest {

  @TempDir Path dir;

  private static final FieldMapping MAPPING =
      FieldMapping.builder("id")
          .name("name")
          .price("price")
          .inStock("stock")
          .categories("cat")
          .images("images")
          .listSeparator("|")
          .attributes("brand")
          .build();

  private List<CatalogEntry> read(String fileName, String content, FieldMapping mapping)
      throws IOException {
    Path file = dir.resolve(fileName);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    try (CatalogReader reader = CatalogReader.open(file, mapping)) {
      List<CatalogEntry> out = new ArrayList<>();
      reader.forEachRemaining(out::add);
      return out;
    }
  }

  private static List<Reject> rejects(List<CatalogEntry> entries) {
    return entries.stream().filter(Reject.class::isInstance).map(Reject.class::cast).toList();
  }

  private static List<String> acceptedIds(List<CatalogEntry> entries) {
    return entries.stream().filter(Product.class::isInstance).map(e -> ((Product) e).id()).toList();
  }

  @Test
  void brokenJsonl() throws IOException {
    String jsonl =
        String.join(
            "\n",
            "{\"id\":\"a\",\"name\":\"A\",\"price\":1.5,\"images\":[\"a.jpg\"],\"cat\":\"X/Y\"}",
            "{\"id\":\"b\",\"name\":\"B\",\"price\":2,\"images\":[\"b.jpg\"]",
            "{\"name\":\"no id\",\"images\":[\"c.jpg\"]}",
            "",
            "{\"id\":\"d\",\"price\":\"cheap\",\"images\":[\"d.jpg\"]}",
            "{\"id\":\"a\",\"name\":\"again\",\"images\":[\"a2.jpg\"]}",
            "{\"id\":\"e\",\"images\":[]}",
            "[1,2,3]",
            "{\"id\":\"f\",\"price\":\"3.25\",\"stock\":\"maybe\",\"images\":\"f.jpg\"}",
            "{\"id\":\"g\",\"name\":{\"en\":\"G\"},\"images\":\"g.jpg\"}",
            "{\"id\":\"h\",\"price\":-1,\"images\":\"h.jpg\"}",
            "{\"id\":\"i\",\"price\":\"7\",\"stock\":\"yes\",\"images\":\"i1.jpg|i2.jpg\"}",
            "{\"id\":\"j\"} trailing",
            "{\"id\":\"d\",\"price\":4,\"images\":[\"d.jpg\"]}");
    List<CatalogEntry> entries = read("broken.jsonl", jsonl, MAPPING);

    assertThat(rejects(entries))
        .extracting(Reject::row, Reject::id, Reject::kind)
        .containsExactly(
            tuple(2L, null, Reject.Kind.MALFORMED),
            tuple(3L, null, Reject.Kind.MISSING_ID),
            tuple(5L, "d", Reject.Kind.BAD_PRICE),
            tuple(6L, "a", Reject.Kind.DUPLICATE_ID),
            tuple(7L, "e", Reject.Kind.NO_IMAGES),
            tuple(8L, null, Reject.Kind.MALFORMED),
            tuple(9L, "f", Reject.Kind.BAD_VALUE),
            tuple(10L, "g", Reject.Kind.BAD_VALUE),
            tuple(11L, "h", Reject.Kind.BAD_PRICE),
            tuple(13L, null, Reject.Kind.MALFORMED));
    // "d" was rejected for its price first, so its later valid row is accepted.
    assertThat(acceptedIds(entries)).containsExactly("a", "i", "d");
    Reject badPrice = rejects(entries).get(2);
    assertThat(badPrice.reason()).contains("'cheap'").contains("'price'");
    assertThat(badPrice.rawSnippet()).contains("cheap");
    assertThat(rejects(entries).get(7).reason()).contains("'name'").contains("object");
    Product i = (Product) entries.get(entries.size() - 3);
    assertThat(i.id()).isEqualTo("i");
    assertThat(i.price()).isEqualTo(7.0);
    assertThat(i.inStock()).isTrue();
    // A JSON string is split on the list separator like a CSV cell.
    assertThat(i.images()).containsExactly("i1.jpg", "i2.jpg");
    Product a = (Product) entries.get(0);
    assertThat(a.categories()).containsExactly("X / Y");
  }

  @Test
  void brokenCsv() throws IOException {
    String csv =
        "\uFEFFid,name,price,stock,cat,images,brand\r\n"
            + "1,\"Shirt, blue\",10.5,true,Men / Tops,1.jpg|1b.jpg,Acme\r\n"
            + "2,\"Quote \"\"inside\"\"\",abc,true,Men,2.jpg,Acme\r\n"
            + ",no id,1,true,Men,3.jpg,Acme\r\n"
            + "4,too few,1\r\n"
            + "1,dup,1,true,Men,1.jpg,Acme\r\n"
            + "5,\"multi\nline name\",2,no,Women / Shoes|Sale,5.jpg,\r\n"
            + "6,no images,3,true,Men,,Acme\r\n"
            + "7,\"bad\"quote,3,true,Men,7.jpg,Acme\r\n"
            + "\r\n"
            + "8,last,,,,8.jpg,Acme";
    List<CatalogEntry> entries = read("broken.csv", csv, MAPPING);

    assertThat(rejects(entries))
        .extracting(Reject::row, Reject::id, Reject::kind)
        .containsExactly(
            tuple(3L, "2", Reject.Kind.BAD_PRICE),
            tuple(4L, null, Reject.Kind.MISSING_ID),
            tuple(5L, null, Reject.Kind.MALFORMED),
            tuple(6L, "1", Reject.Kind.DUPLICATE_ID),
            tuple(9L, "6", Reject.Kind.NO_IMAGES),
            tuple(10L, null, Reject.Kind.MALFORMED));
    assertThat(rejects(entries).get(2).reason()).contains("expected 7 fields").contains("found 3");
    assertThat(rejects(entries).get(4).reason()).isEqualTo("no images (fields [images])");
    assertThat(acceptedIds(entries)).containsExactly("1", "5", "8");

    Product one = (Product) entries.get(0);
    assertThat(one.name()).isEqualTo("Shirt, blue");
    assertThat(one.price()).isEqualTo(10.5);
    assertThat(one.images()).containsExactly("1.jpg", "1b.jpg");
    assertThat(one.attributes()).containsEntry("brand", List.of("Acme"));
    Product five = (Product) entries.stream().filter(e -> e.row() == 7).findFirst().orElseThrow();
    assertThat(five.name()).isEqualTo("multi\nline name");
    assertThat(five.inStock()).isFalse();
    assertThat(five.categories()).containsExactly("Women / Shoes", "Sale");
    assertThat(five.attributes()).doesNotContainKey("brand");
    Product eight = (Product) entries.get(entries.size() - 1);
    assertThat(eight.row()).isEqualTo(12);
    assertThat(eight.price()).isNull();
    assertThat(eight.inStock()).isNull();
    assertThat(eight.categories()).isEmpty();
  }

  @Test
  void unterminatedQuoteLosesOnlyItsLine() throws IOException {
    String csv =
        "id,name,images\n" + "1,ok,1.jpg\n" + "2,\"broken,2.jpg\n" + "3,fine,3.jpg\n" + "4,x,4.jpg";
    List<CatalogEntry> entries =
        read(
            "quote.csv",
            csv,
            MAPPING.toBuilder().price(null).inStock(null).categories().attributes().build());
    assertThat(rejects(entries))
        .extracting(Reject::row, Reject::kind)
        .containsExactly(tuple(3L, Reject.Kind.MALFORMED));
    assertThat(rejects(entries).get(0).reason()).contains("unterminated quoted field");
    assertThat(acceptedIds(entries)).containsExactly("1", "3", "4");
    assertThat(entries.get(2).row()).isEqualTo(4);
  }

  @Test
  void overlongRecordsAreRejectedWithBoundedMemory() throws IOException {
    FieldMapping mapping = FieldMapping.builder("id").images("images").build();
    String longName = "x".repeat(500);
    String jsonl =
        "{\"id\":\"1\",\"images\":\"1.jpg\"}\n"
            + "{\"id\":\"2\",\"name\":\""
            + longName
            + "\",\"images\":\"2.jpg\"}\n"
            + "{\"id\":\"3\",\"images\":\"3.jpg\"}\n";
    Path file = dir.resolve("long.jsonl");
    Files.writeString(file, jsonl);
    try (CatalogReader reader =
        CatalogReader.open(
            file, mapping, CatalogReader.Options.defaults().withMaxRecordChars(100))) {
      List<CatalogEntry> entries = reader.stream().toList();
      assertThat(entries).extracting(CatalogEntry::row).containsExactly(1L, 2L, 3L);
      Reject r = (Reject) entries.get(1);
      assertThat(r.kind()).isEqualTo(Reject.Kind.TOO_LONG);
      assertThat(r.reason()).contains("100");
      assertThat(r.rawSnippet()).hasSizeLessThanOrEqualTo(Reject.SNIPPET_CHARS);
      assertThat(reader.counts()).isEqualTo(new CatalogReader.Counts(2, 1));
    }
  }

  @Test
  void csvHeaderMissingAMappedColumnFailsAtOpen() throws IOException {
    Path file = dir.resolve("c.csv");
    Files.writeString(file, "id,title,images\n1,a,1.jpg\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CatalogReader.open(file, MAPPING))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks mapped column(s) [name, price, stock, cat, brand]")
        .hasMessageContaining("[id, title, images]");
  }

  @Test
  void forcedFormatAndReaderInput() throws IOException {
    FieldMapping mapping = FieldMapping.builder("sku").images("img").build();
    try (CatalogReader reader =
        CatalogReader.open(
            new StringReader("sku\timg\nA\ta.jpg\nB\t\n"), CatalogFormat.TSV, mapping)) {
      List<Reject> rejects = new ArrayList<>();
      List<Product> products = reader.products(rejects::add).toList();
      assertThat(products).extracting(Product::id).containsExactly("A");
      assertThat(rejects).extracting(Reject::id).containsExactly("B");
      assertThat(reader.hasNext()).isFalse();
    }
    Path file = dir.resolve("catalog.txt");
    Files.writeString(file, "{\"sku\":\"Z\",\"img\":\"z.jpg\"}\n");
    try (CatalogReader reader =
        CatalogReader.open(
            file, mapping, CatalogReader.Options.defaults().withFormat(CatalogFormat.JSONL))) {
      assertThat(reader.stream().toList()).extracting(CatalogEntry::row).containsExactly(1L);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CatalogReader.open(file, mapping))
        .hasMessageContaining("catalog.txt")
        .hasMessageContaining(".jsonl");
  }

  @Test
  void imagesOptionalWhenNotRequired() throws IOException {
    FieldMapping mapping = FieldMapping.builder("id").images("images").requireImages(false).build();
    List<CatalogEntry> entries = read("opt.csv", "id,images\n1,\n", mapping);
    assertThat(entries).singleElement().isInstanceOf(Product.class);
    assertThat(((Product) entries.get(0)).images()).isEmpty();
  }

  @Test
  void imagePatternFillsPlaceholders() throws IOException {
    FieldMapping mapping =
        FieldMapping.builder("id").imagePattern("pics/{brand}/{id}.jpg").attributes().build();
    List<CatalogEntry> entries = read("p.csv", "id,brand\n7,acme\n8,\n", mapping);
    assertThat(((Product) entries.get(0)).images()).containsExactly("pics/acme/7.jpg");
    assertThat(entries.get(1)).isInstanceOf(Reject.class);
    assertThat(((Reject) entries.get(1)).kind()).isEqualTo(Reject.Kind.NO_IMAGES);
  }

  @Test
  void overlongFieldsRejectTheirRowNamingFieldLengthAndLimit() throws IOException {
    FieldMapping mapping =
        FieldMapping.builder("id")
            .name("name")
            .colour("color")
            .categories("cat")
            .attributes("brand")
            .images("images")
            .listSeparator("|")
            .build();
    String huge = "x".repeat(40_000);
    String csv =
        String.join(
            "\n",
            "id,name,color,cat,brand,images",
            "ok1,Shirt,Red,Men/Tops,Acme,a.jpg",
            huge + ",Shirt,Red,Men/Tops,Acme,b.jpg",
            "colour,Shirt," + huge + ",Men/Tops,Acme,c.jpg",
            "cat,Shirt,Red,Men/" + huge + ",Acme,d.jpg",
            "attr,Shirt,Red,Men/Tops,Acme|" + huge + ",e.jpg",
            "img,Shirt,Red,Men/Tops,Acme,f.jpg|" + huge + ".jpg",
            "name," + huge + ",Red,Men/Tops,Acme,g.jpg",
            "ok1,Again,Red,Men/Tops,Acme,h.jpg",
            "ok2,Shirt,Red,Men/Tops,Acme,i.jpg");
    List<CatalogEntry> entries = read("long-fields.csv", csv, mapping);

    assertThat(acceptedIds(entries)).containsExactly("ok1", "ok2");
    List<Reject> rejects = rejects(entries);
    assertThat(rejects)
        .extracting(Reject::row, Reject::kind, Reject::limit)
        .containsExactly(
            tuple(3L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("id", 40_000, 512)),
            tuple(4L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("color", 40_000, 256)),
            tuple(5L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("cat", 40_006, 1_024)),
            tuple(6L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("brand", 40_000, 1_024)),
            tuple(7L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("images", 40_004, 4_096)),
            tuple(8L, Reject.Kind.FIELD_TOO_LONG, new Reject.Limit("name", 40_000, 2_048)),
            tuple(9L, Reject.Kind.DUPLICATE_ID, null));
    assertThat(rejects.get(0).id()).hasSize(Reject.ID_CHARS).startsWith("xxx").endsWith("…");
    assertThat(rejects.get(0).reason())
        .isEqualTo("field 'id' (id) has 40000 characters, more than the limit of 512");
    assertThat(rejects.get(1).id()).isEqualTo("colour");
    assertThat(rejects.get(1).reason()).contains("'color' (colour)", "40000", "256");
  }

  @Test
  void fieldLimitsAreConfigurableAndBoundedByTheKeywordLimit() throws IOException {
    FieldMapping mapping = FieldMapping.builder("id").colour("color").images("images").build();
    Path file = dir.resolve("limits.jsonl");
    Files.writeString(
        file,
        "{\"id\":\"a\",\"color\":\"Midnight Blue\",\"images\":\"a.jpg\"}\n"
            + "{\"id\":\"b\",\"color\":\"Red\",\"images\":\"b.jpg\"}\n");
    FieldLimits limits = FieldLimits.defaults().with("color", 5);
    try (CatalogReader reader =
        CatalogReader.open(
            file, mapping, CatalogReader.Options.defaults().withFieldLimits(limits))) {
      List<CatalogEntry> entries = reader.stream().toList();
      assertThat(((Reject) entries.get(0)).limit()).isEqualTo(new Reject.Limit("color", 13, 5));
      assertThat(entries.get(1)).isInstanceOf(Product.class);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FieldLimits.defaults().with("colour", FieldLimits.MAX_KEYWORD_CHARS + 1))
        .hasMessage("the colour limit must be in [1, 10922] characters; colour=10923");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FieldLimits.defaults().with("size", 5))
        .hasMessageContaining("unknown field limit 'size'")
        .hasMessageContaining("[id, name, description, colour, category, attribute, image]");
    assertThat(FieldLimits.MAX_KEYWORD_CHARS * 3)
        .isLessThanOrEqualTo(org.apache.lucene.index.IndexWriter.MAX_TERM_LENGTH);
  }
}
