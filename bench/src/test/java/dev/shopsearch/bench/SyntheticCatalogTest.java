package dev.shopsearch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The synthetic catalog is deterministic per seed and product, with shop-like cardinalities. */
class SyntheticCatalogTest {

  @Test
  void aProductDependsOnlyOnTheSeedAndItsNumber() {
    SyntheticCatalog a = new SyntheticCatalog(13);
    SyntheticCatalog b = new SyntheticCatalog(13);
    assertThat(b.product(4242)).isEqualTo(a.product(4242)); // in any order, on any thread
    assertThat(a.product(7)).isEqualTo(b.product(7));
    assertThat(new SyntheticCatalog(14).product(7)).isNotEqualTo(a.product(7));
  }

  @Test
  void fieldsHaveTheCardinalitiesOfAShop() {
    SyntheticCatalog c = new SyntheticCatalog(13);
    Set<String> leaves = new HashSet<>();
    Set<String> colours = new HashSet<>();
    Map<String, Integer> perColour = new HashMap<>();
    Set<String> brands = new HashSet<>();
    int noPrice = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Product p = c.product(i);
      assertThat(p.id()).isEqualTo(String.format("p%07d", i));
      assertThat(p.row()).isEqualTo(i + 1L);
      assertThat(p.categories())
          .singleElement()
          .satisfies(cat -> assertThat(cat.split(" / ")).hasSize(3));
      leaves.add(p.categories().get(0));
      colours.add(p.colour());
      perColour.merge(p.colour(), 1, Integer::sum);
      brands.add(p.attributes().get("brand").get(0));
      assertThat(p.name()).endsWith(p.categories().get(0).split(" / ")[2]);
      assertThat(p.images()).hasSize(1);
      if (p.price() == null) {
        noPrice++;
      } else {
        assertThat(p.price()).isPositive();
        assertThat(Math.round(p.price() * 100) % 100).isEqualTo(99);
      }
    }
    assertThat(leaves).hasSizeBetween(150, c.leafCategories());
    assertThat(colours).hasSize(SyntheticCatalog.COLOURS.length);
    // skewed: the commonest colour is several times the rarest
    assertThat(perColour.get("black")).isGreaterThan(4 * perColour.get("multi"));
    assertThat(brands).hasSizeGreaterThan(1000);
    assertThat(noPrice).isBetween(n / 100, n / 25);
  }
}
