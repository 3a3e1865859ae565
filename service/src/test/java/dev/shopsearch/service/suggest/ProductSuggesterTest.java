package dev.shopsearch.service.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.search.ProductLabels;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.junit.jupiter.api.Test;

class ProductSuggesterTest {

  private static Product product(String id, String name, String... categories) {
    return new Product(
        id, name, "", List.of(categories), null, 1.0, null, List.of("a.jpg"), Map.of(), 1);
  }

  @Test
  void completesAnyWordOfDistinctNamesAndCategoryPathsMostProductsFirst() throws IOException {
    try (DirectoryReader reader =
            TestIndex.inMemory(
                List.of(
                    product("1", "Red Floral Dress", "Women / Dresses"),
                    product("2", "red floral dress", "Women / Dresses"),
                    product("3", "Blue Floral Skirt", "Women / Skirts"),
                    product("4", "Flower Pot", "Home / Garden", "Home / Gifts"),
                    product("5", "碎花连衣裙", "女装 / 连衣裙")));
        ProductSuggester s = ProductSuggester.build(reader)) {
      List<Suggestion> flo = s.lookup("flo", 10);
      assertThat(flo).first().isEqualTo(new Suggestion("Red Floral Dress", Suggestion.PRODUCT, 2));
      assertThat(flo)
          .containsExactlyInAnyOrder(
              new Suggestion("Red Floral Dress", Suggestion.PRODUCT, 2),
              new Suggestion("Blue Floral Skirt", Suggestion.PRODUCT, 1),
              new Suggestion("Flower Pot", Suggestion.PRODUCT, 1));
      assertThat(s.lookup("wom", 10))
          .containsExactly(
              new Suggestion("Women", Suggestion.CATEGORY, 3),
              new Suggestion("Women / Dresses", Suggestion.CATEGORY, 2),
              new Suggestion("Women / Skirts", Suggestion.CATEGORY, 1));
      assertThat(s.lookup("home", 10))
          .as("a product counts once per category prefix")
          .contains(new Suggestion("Home", Suggestion.CATEGORY, 1));
      assertThat(s.lookup("blue flo", 10))
          .containsExactly(new Suggestion("Blue Floral Skirt", Suggestion.PRODUCT, 1));
      assertThat(s.lookup("碎花", 10))
          .containsExactly(new Suggestion("碎花连衣裙", Suggestion.PRODUCT, 1));
      assertThat(s.lookup("连衣", 10)).extracting(Suggestion::text).contains("女装 / 连衣裙", "碎花连衣裙");
      assertThat(s.lookup("flo", 1)).hasSize(1);
      assertThat(s.lookup("zebra", 10)).isEmpty();
      assertThat(s.entries()).isEqualTo(12);
    }
  }

  @Test
  void anEmptyIndexSuggestsNothing() throws IOException {
    try (DirectoryReader reader = TestIndex.inMemory(List.of());
        ProductSuggester s = ProductSuggester.build(reader)) {
      assertThat(s.lookup("flo", 5)).isEmpty();
      assertThat(s.entries()).isZero();
    }
  }

  /**
   * Backends list products in different orders (embedded: doc order, OpenSearch: product id); the
   * suggestions, their spelling and the order of equal weights must not depend on it.
   */
  @Test
  void theOrderProductsAreListedInDoesNotChangeTheSuggestions() throws IOException {
    List<ProductLabels> labels = new ArrayList<>();
    labels.add(new ProductLabels("p1", "red floral dress", null, List.of("Women/Dresses")));
    labels.add(new ProductLabels("p2", "Red Floral Dress", null, List.of("Women/Dresses")));
    for (int i = 0; i < 40; i++) {
      labels.add(
          new ProductLabels("f" + i, "Floral Print " + i, null, List.of("Home/Floral " + i)));
    }
    List<ProductLabels> reversed = new ArrayList<>(labels);
    Collections.reverse(reversed);
    try (ProductSuggester a = ProductSuggester.build(labels::forEach);
        ProductSuggester b = ProductSuggester.build(reversed::forEach)) {
      for (String prefix : List.of("flo", "red", "home", "print")) {
        assertThat(b.lookup(prefix, 20)).as(prefix).isEqualTo(a.lookup(prefix, 20));
      }
      assertThat(b.lookup("red", 1))
          .containsExactly(new Suggestion("Red Floral Dress", Suggestion.PRODUCT, 2));
    }
  }
}
