package dev.shopsearch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reads the two shared catalogs completely (skipped when ../shared is absent). */
class SharedCatalogsTest {

  private static List<CatalogEntry> readAll(Path file, FieldMapping mapping) throws IOException {
    try (CatalogReader reader = CatalogReader.open(file, mapping)) {
      List<CatalogEntry> all = new ArrayList<>();
      reader.forEachRemaining(all::add);
      assertThat(reader.counts().total()).isEqualTo(all.size());
      return all;
    }
  }

  @Test
  void magentoLumaReadsEveryLook() throws IOException {
    Path file = SharedData.require("datasets/magento-luma/catalog.jsonl");
    List<CatalogEntry> all = readAll(file, FieldMapping.magentoLuma());

    assertThat(all).as("rejects").noneMatch(e -> e instanceof Reject);
    assertThat(all).hasSize(461);
    Map<String, Product> byId =
        all.stream()
            .map(Product.class::cast)
            .collect(Collectors.toMap(Product::id, Function.identity()));
    Product hoodie = byId.get("mh01-gray");
    assertThat(hoodie.name()).isEqualTo("Chaz Kangeroo Hoodie");
    assertThat(hoodie.colour()).isEqualTo("Gray");
    assertThat(hoodie.price()).isEqualTo(52.0);
    assertThat(hoodie.inStock()).isNull();
    assertThat(hoodie.categories())
        .containsExactly("Men / Tops / Hoodies & Sweatshirts", "Collections / Eco Friendly");
    assertThat(hoodie.images())
        .containsExactly(
            "images/m/h/mh01-gray_main.jpg",
            "images/m/h/mh01-gray_alt1.jpg",
            "images/m/h/mh01-gray_back.jpg");
    assertThat(hoodie.attributes()).containsEntry("sku", List.of("MH01"));
    assertThat(hoodie.attributes().get("sizes")).containsExactly("L", "M", "S", "XL", "XS");
    assertThat(hoodie.description()).startsWith("Ideal for cold-weather training");
    assertThat(hoodie.row()).isEqualTo(2);

    Path root = file.getParent();
    for (CatalogEntry e : all) {
      Product p = (Product) e;
      assertThat(p.images()).isNotEmpty();
      assertThat(p.price()).isNotNull().isPositive();
      for (String image : p.images()) {
        assertThat(root.resolve(image)).as("image of %s", p.id()).isRegularFile();
      }
    }
    assertThat(all.stream().map(e -> ((Product) e).colour()).filter(c -> c == null))
        .as("gear has no colour")
        .isNotEmpty();
  }

  @Test
  void myntraReadsEveryRow() throws IOException {
    Path file = SharedData.require("datasets/fashion-myntra/catalog.csv");
    long lines;
    try (var stream = Files.lines(file)) {
      lines = stream.filter(l -> !l.isBlank()).count();
    }
    List<CatalogEntry> all = readAll(file, FieldMapping.myntra());

    assertThat(all).as("rejects").noneMatch(e -> e instanceof Reject);
    assertThat(all).hasSize((int) lines - 1);
    Product first = (Product) all.get(0);
    assertThat(first.id()).isEqualTo("15970");
    assertThat(first.name()).isEqualTo("Turtle Check Men Navy Blue Shirt");
    assertThat(first.categories()).containsExactly("Men / Apparel / Topwear");
    assertThat(first.colour()).isEqualTo("Navy Blue");
    assertThat(first.price()).isNull();
    assertThat(first.images()).containsExactly("images/15970.jpg");
    assertThat(first.attributes())
        .containsOnly(
            Map.entry("gender", List.of("Men")),
            Map.entry("season", List.of("Fall")),
            Map.entry("usage", List.of("Casual")));
    assertThat(first.row()).isEqualTo(2);

    Set<String> ids = new HashSet<>();
    for (CatalogEntry e : all) {
      Product p = (Product) e;
      assertThat(ids.add(p.id())).isTrue();
      assertThat(p.categories()).hasSize(1);
      assertThat(CategoryPath.levels(p.categories().get(0))).hasSize(3);
      assertThat(file.getParent().resolve(p.images().get(0))).isRegularFile();
    }
  }

  @Test
  void detectPicksThePresets() throws IOException {
    assertThat(FieldMapping.detect(SharedData.require("datasets/magento-luma/catalog.jsonl")))
        .isEqualTo(FieldMapping.magentoLuma());
    assertThat(FieldMapping.detect(SharedData.require("datasets/fashion-myntra/catalog.csv")))
        .isEqualTo(FieldMapping.myntra());
  }

  @Test
  void checksumIsTheFileSha256() throws IOException {
    Path file = SharedData.require("datasets/fashion-myntra/catalog.csv");
    String sum = CatalogReader.catalogChecksum(file);
    assertThat(sum).hasSize(64).matches("[0-9a-f]+");
    java.security.MessageDigest md;
    try {
      md = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    assertThat(sum)
        .isEqualTo(java.util.HexFormat.of().formatHex(md.digest(Files.readAllBytes(file))));
  }
}
