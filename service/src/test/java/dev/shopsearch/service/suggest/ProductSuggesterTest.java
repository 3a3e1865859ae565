package dev.shopsearch.service.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.testing.TestIndex;
import java.io.IOException;
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
}
