package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TestIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Products with equal BM25 scores come in product id order, whatever order the catalog (and so the
 * index) has them in: the lexical list is the same on every backend and every replica, so fused
 * ranks and pages are too. The catalog is indexed in reverse id order, so document order would put
 * every tie the other way round.
 */
class LexicalTieOrderTest {
  @TempDir Path root;

  @Test
  void equalScoresAreOrderedByProductId() throws Exception {
    List<Product> reversed = new ArrayList<>(ResultListFixture.catalog());
    java.util.Collections.reverse(reversed);
    TestIndex.publish(root, FakeClip.manifest(ResultListFixture.HASH), reversed);
    ResultListFixture fx = new ResultListFixture(root, Map.of(), FacetsProperties.DEFAULTS);
    try {
      SearchResponse r =
          fx.search(
              "cotton",
              SearchMode.LEXICAL,
              SearchFilters.NONE,
              60,
              0,
              new ResultOptions(SortOrder.RELEVANCE, null, false));
      List<SearchHit> hits = r.hits();
      int ties = 0;
      for (int i = 1; i < hits.size(); i++) {
        if (hits.get(i).score() == hits.get(i - 1).score()) {
          ties++;
          assertThat(hits.get(i).id())
              .as("tie at rank %d", i + 1)
              .isGreaterThan(hits.get(i - 1).id());
          // the list's own rank (what fusion reads), not only the page order
          assertThat(hits.get(i).lexicalRank())
              .as("lexical rank of %s, tied with %s", hits.get(i).id(), hits.get(i - 1).id())
              .isGreaterThan(hits.get(i - 1).lexicalRank());
        }
      }
      assertThat(ties).as("the query has ties to order").isGreaterThan(5);
    } finally {
      fx.close();
    }
  }
}
