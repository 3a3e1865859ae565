package dev.shopsearch.indexer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.index.IndexGenerations;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import dev.shopsearch.indexer.testing.TestImages;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 9: a catalog exported by a shop (Magento/Maho {@code catalog_product.csv}, image
 * paths like {@code /m/h/mh01-black_main.jpg} relative to {@code pub/media/catalog/product}), with
 * the mapping file of docs/indexer.md, through the real CLI, decoder and tiny CLIP model.
 */
class MagentoExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The mapping file shown in docs/indexer.md ("Magento and Maho exports"). */
  static final String MAPPING =
      """
      {
        "id": "sku",
        "name": "name",
        "description": "description",
        "categories": ["categories"],
        "categorySeparator": "/",
        "listSeparator": ",",
        "price": "price",
        "inStock": "is_in_stock",
        "images": ["base_image", "additional_images"],
        "attributes": ["product_type", "visibility"]
      }
      """;

  private static final String HEADER =
      "sku,store_view_code,attribute_set_code,product_type,categories,product_websites,name,"
          + "description,price,visibility,base_image,small_image,thumbnail_image,"
          + "additional_attributes,qty,is_in_stock,additional_images";

  @TempDir Path tmp;
  Path media;
  Path export;
  Path mapping;
  Path bundle;

  record Run(int exit, JsonNode json, String err) {}

  static Run cli(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = IndexerCli.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    String text = out.toString();
    return new Run(exit, text.isBlank() ? null : JSON.readTree(text), err.toString());
  }

  private static String row(
      String sku, String type, String name, String visibility, String base, String additional) {
    return String.join(
        ",",
        sku,
        "",
        "Top",
        type,
        "\"Default Category/Men/Tops/Hoodies & Sweatshirts,Default Category/Collections/Eco"
            + " Friendly\"",
        "base",
        "\"" + name + "\"",
        "\"<p>Ideal for cold-weather training, the Chaz Hoodie promises warmth.</p>\"",
        "52.000000",
        "\"" + visibility + "\"",
        base,
        base,
        base,
        "\"color=Black,size=XS\"",
        "100.0000",
        "1",
        "\"" + additional + "\"");
  }

  @BeforeEach
  void setUp() throws Exception {
    media = Files.createDirectories(tmp.resolve("shop/pub/media/catalog/product"));
    Random rnd = new Random(12);
    for (String photo :
        List.of("m/h/mh01-black_main.jpg", "m/h/mh01-black_alt1.jpg", "m/h/mh01-gray_main.jpg")) {
      Files.createDirectories(media.resolve(photo).getParent());
      Files.write(media.resolve(photo), TestImages.jpeg(rnd, 40, 48));
    }
    export = Files.createDirectories(tmp.resolve("export"));
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    String black = "/m/h/mh01-black_main.jpg,/m/h/mh01-black_alt1.jpg";
    lines.add(
        row(
            "MH01",
            "configurable",
            "Chaz Kangeroo Hoodie",
            "Catalog, Search",
            "/m/h/mh01-black_main.jpg",
            black + ",/m/h/mh01-gray_main.jpg"));
    for (String size : List.of("XS", "S", "M")) {
      lines.add(
          row(
              "MH01-" + size + "-Black",
              "simple",
              "Chaz Kangeroo Hoodie-" + size + "-Black",
              "Not Visible Individually",
              "/m/h/mh01-black_main.jpg",
              black));
    }
    for (String size : List.of("XS", "S")) {
      lines.add(
          row(
              "MH01-" + size + "-Gray",
              "simple",
              "Chaz Kangeroo Hoodie-" + size + "-Gray",
              "Not Visible Individually",
              "/m/h/mh01-gray_main.jpg",
              "/m/h/mh01-gray_main.jpg"));
    }
    lines.add(
        row(
            "MH01-XL-Gray",
            "simple",
            "x".repeat(40_000),
            "Not Visible Individually",
            "/m/h/mh01-gray_main.jpg",
            "/m/h/mh01-gray_main.jpg"));
    Files.writeString(
        export.resolve("catalog_product.csv"),
        String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
    Files.writeString(export.resolve("header-only.csv"), HEADER + "\n", StandardCharsets.UTF_8);
    mapping = export.resolve("magento-export.json");
    Files.writeString(mapping, MAPPING, StandardCharsets.UTF_8);
    bundle = TinyClipBundle.create(tmp.resolve("bundle"), 3).dir();
  }

  private String[] build(String index, String catalog, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "build",
                "--index",
                tmp.resolve(index).toString(),
                "--catalog",
                export.resolve(catalog).toString(),
                "--mapping",
                mapping.toString(),
                "--bundle",
                bundle.toString(),
                "--progress",
                "none",
                "--threads",
                "2",
                "--batch-size",
                "4",
                "--max-reject-rate",
                "0.2"));
    a.addAll(List.of(extra));
    return a.toArray(String[]::new);
  }

  @Test
  void withTheImageRootEveryPhotoIsFoundAndEncodedOnce() throws Exception {
    Run r = cli(build("index", "catalog_product.csv", "--image-root", media.toString()));

    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("published").asBoolean()).isTrue();
    assertThat(j.get("catalogRows").asLong()).isEqualTo(7);
    assertThat(j.get("productsIndexed").asLong()).isEqualTo(6);
    // 3 + 3 x 2 + 2 x 1 image references, 3 distinct photos: each decoded and encoded once
    assertThat(j.get("imagesIndexed").asLong()).isEqualTo(11);
    assertThat(j.get("imagesEncoded").asLong()).isEqualTo(3);
    assertThat(j.get("duplicateImages").asLong()).isEqualTo(8);
    assertThat(j.get("rejectsByKind").get("catalog:FIELD_TOO_LONG").asLong()).isEqualTo(1);
    try (OpenIndex open = new IndexGenerations(tmp.resolve("index")).openCurrent()) {
      IndexSearcher s = new IndexSearcher(open.reader());
      assertThat(s.count(new TermQuery(new Term(IndexSchema.PRODUCT_ID, "MH01-S-Black"))))
          .isEqualTo(3);
      assertThat(s.count(new TermQuery(new Term("attr.visibility", "not visible individually"))))
          .isEqualTo(5 + 5 * 2 - 2); // parents + images of the five simple products
      assertThat(
              s.count(
                  new TermQuery(
                      new Term(
                          IndexSchema.CATEGORY,
                          "default category/men/tops/hoodies & sweatshirts"))))
          .isPositive();
    }
  }

  @Test
  void withoutTheImageRootNothingIsFoundAndTheBuildExits2() throws Exception {
    Run r = cli(build("index", "catalog_product.csv"));

    assertThat(r.exit()).as(r.err()).isEqualTo(IndexerCli.EXIT_REJECTS);
    assertThat(r.json().get("published").asBoolean()).isFalse();
    assertThat(r.json().get("rejectsByKind").get("product:PATH_ESCAPE").asLong()).isEqualTo(6);
  }

  @Test
  void aBuildThatIndexedNothingExits2AsDocumented() throws Exception {
    Run r = cli(build("index", "header-only.csv", "--image-root", media.toString()));

    assertThat(r.exit()).as(r.err()).isEqualTo(IndexerCli.EXIT_REJECTS);
    assertThat(r.json().get("published").asBoolean()).isFalse();
    assertThat(r.json().get("message").asText()).contains("no product could be indexed");
    assertThat(Files.exists(tmp.resolve("index/CURRENT"))).isFalse();
  }
}
