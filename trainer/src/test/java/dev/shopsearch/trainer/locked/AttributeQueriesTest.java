package dev.shopsearch.trainer.locked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeQueriesTest {

  private static Product product(String id, String gender, String colour, String leaf) {
    return new Product(
        id,
        gender + " " + colour + " " + leaf,
        null,
        leaf == null ? List.of() : List.of(gender + " / Apparel / " + leaf),
        colour,
        null,
        null,
        List.of("images/" + id + ".jpg"),
        gender == null ? Map.of() : Map.of("gender", List.of(gender)),
        0L);
  }

  @Test
  void buildsOneLowerCaseQueryPerCombination() {
    List<Product> gallery =
        List.of(
            product("1", "Men", "Black", "Topwear"),
            product("2", "Women", "Black", "Topwear"),
            product("3", "Men", "Black", "Topwear"),
            product("4", "Men", "Navy Blue", "Bottomwear"),
            product("5", null, "Red", "Topwear"));
    AttributeQueries q = AttributeQueries.of(gallery);
    assertThat(q.texts())
        .containsExactly("men black topwear", "women black topwear", "men navy blue bottomwear");
    assertThat(q.queries().get(0).relevant()).containsExactly(0, 2);
  }

  @Test
  void precisionAndNdcgAtKFromTheRanking() {
    // Gallery rows are one-hot; a query's embedding puts weight on the rows it should rank first.
    int n = 12;
    float[][] gallery = new float[n][n];
    for (int i = 0; i < n; i++) {
      gallery[i][i] = 1;
    }
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // rows 0..2 are "men black topwear", the rest women red bottomwear
      products.add(
          i < 3
              ? product("p" + i, "Men", "Black", "Topwear")
              : product("p" + i, "Women", "Red", "X"));
    }
    AttributeQueries q = AttributeQueries.of(products);
    assertThat(q.queries()).hasSize(2);
    // Query 0 ranks rows 5, 0, 1, 6, then the zero-score rows in index order (2, 3, ...): its
    // relevant rows 0, 1, 2 are at ranks 2, 3 and 5.
    float[] q0 = new float[n];
    q0[5] = 1.0f;
    q0[0] = 0.9f;
    q0[1] = 0.8f;
    q0[6] = 0.7f;
    // Query 1 ranks its nine relevant rows 3..11 first.
    float[] q1 = new float[n];
    for (int i = 3; i < n; i++) {
      q1[i] = 1f - i * 0.01f;
    }
    AttributeQueries.Scores s = q.score(new float[][] {q0, q1}, gallery, 10, 1);
    assertThat(AttributeQueries.topK(q0, gallery, 10)).startsWith(5, 0, 1, 6, 2);
    double dcg0 = 1 / log2(3) + 1 / log2(4) + 1 / log2(6);
    double ideal0 = 1 + 1 / log2(3) + 1 / log2(4);
    assertThat(s.queries()).isEqualTo(2);
    // P@10: 3/10 and 9/10; nDCG@10: query 1 is perfect (ideal over its 9 relevant rows).
    assertThat(s.precision()).isCloseTo((3 / 10.0 + 9 / 10.0) / 2, within(1e-9));
    assertThat(s.ndcg()).isCloseTo((dcg0 / ideal0 + 1.0) / 2, within(1e-9));
    // Only queries with >= 5 relevant rows: query 1 alone, perfect ranking.
    AttributeQueries.Scores s5 = q.score(new float[][] {q0, q1}, gallery, 10, 5);
    assertThat(s5.queries()).isEqualTo(1);
    assertThat(s5.precision()).isCloseTo(0.9, within(1e-9));
    assertThat(s5.ndcg()).isCloseTo(1.0, within(1e-9));
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
