package dev.shopsearch.service.facets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Top values, the category tree and price buckets from raw counts. */
class FacetListsTest {
  final FacetLists lists =
      new FacetLists(new FacetsProperties(0, 2, List.of(25.0, 50.0), List.of(), 50));

  @Test
  void mostFrequentFirstTiesByValueSelectedAlwaysListed() {
    Map<String, Integer> counts = Map.of("red", 5, "blue", 9, "green", 5, "black", 1);
    assertThat(lists.values(counts, List.of()))
        .containsExactly(new FacetValue("blue", 9, false), new FacetValue("green", 5, false));
    assertThat(lists.values(counts, List.of("black", "pink")))
        .containsExactly(
            new FacetValue("blue", 9, false),
            new FacetValue("green", 5, false),
            new FacetValue("black", 1, true),
            new FacetValue("pink", 0, true));
  }

  @Test
  void categoryKeysBecomeATreeLimitedPerLevel() {
    Map<String, Integer> keys =
        Map.of(
            "women",
            10,
            "women/dresses",
            6,
            "women/shoes",
            3,
            "women/shoes/boots",
            3,
            "women/bags",
            1,
            "men",
            4,
            "men/tops",
            4,
            "kids",
            1);
    List<CategoryNode> tree = lists.categories(keys, List.of("women/bags"));
    assertThat(tree).extracting(CategoryNode::value).containsExactly("women", "men");
    CategoryNode women = tree.get(0);
    assertThat(women.label()).isEqualTo("women");
    assertThat(women.children())
        .extracting(CategoryNode::value)
        .containsExactly("women/dresses", "women/shoes", "women/bags"); // selected kept
    assertThat(women.children().get(1).children())
        .containsExactly(new CategoryNode("women/shoes/boots", "boots", 3, false, List.of()));
  }

  @Test
  void priceBucketsAreLowerInclusiveAndMarkAnExactSelection() {
    assertThat(lists.price(new int[] {1, 2, 3}, 25.0, 50.0))
        .containsExactly(
            new PriceBucket(null, 25.0, 1, false),
            new PriceBucket(25.0, 50.0, 2, true),
            new PriceBucket(50.0, null, 3, false));
    assertThat(DocValueCounts.bucket(24.99, List.of(25.0, 50.0))).isZero();
    assertThat(DocValueCounts.bucket(25.0, List.of(25.0, 50.0))).isOne();
    assertThat(DocValueCounts.bucket(50.0, List.of(25.0, 50.0))).isEqualTo(2);
  }

  @Test
  void priceRangesMustAscend() {
    assertThatThrownBy(() -> new FacetsProperties(0, 20, List.of(50.0, 25.0), List.of(), 50))
        .hasMessageContaining(
            "shopsearch.facets.price-ranges must be finite, > 0 and strictly ascending")
        .hasMessageContaining("[50.0, 25.0]");
  }
}
