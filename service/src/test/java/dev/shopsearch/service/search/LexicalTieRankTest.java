package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.service.facets.FacetsProperties;
import dev.shopsearch.service.testing.FakeClip;
import dev.shopsearch.service.testing.TestIndex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Products with equal BM25 scores share a lexical rank, and the fused result does not depend on the
 * order a tie came in: the same catalog indexed in catalog order and in reverse order (so document
 * order puts every tie the other way round, as another backend, shard or replica may) gives the
 * same fused scores and ranks. A CI run saw the hybrid top 3 swap between the embedded and the
 * OpenSearch backend on such a tie.
 */
class LexicalTieRankTest {
  @TempDir Path forward;
  @TempDir Path reversed;

  private static final ResultOptions RELEVANCE =
      new ResultOptions(SortOrder.RELEVANCE, null, false);

  private static SearchResponse search(Path root, List<Product> catalog, SearchMode mode)
      throws Exception {
    TestIndex.publish(root, FakeClip.manifest(ResultListFixture.HASH), catalog);
    ResultListFixture fx = new ResultListFixture(root, Map.of(), FacetsProperties.DEFAULTS);
    try {
      return fx.search("cotton dress", mode, SearchFilters.NONE, 60, 0, RELEVANCE);
    } finally {
      fx.close();
    }
  }

  private static Map<String, SearchHit> byId(SearchResponse r) {
    Map<String, SearchHit> out = new HashMap<>();
    r.hits().forEach(h -> out.put(h.id(), h));
    return out;
  }

  @Test
  void tiedProductsShareALexicalRank() throws Exception {
    List<SearchHit> hits = search(forward, ResultListFixture.catalog(), SearchMode.LEXICAL).hits();
    int ties = 0;
    for (int i = 1; i < hits.size(); i++) {
      if (hits.get(i).score() == hits.get(i - 1).score()) {
        ties++;
        assertThat(hits.get(i).lexicalRank())
            .as("%s tied with %s", hits.get(i).id(), hits.get(i - 1).id())
            .isEqualTo(hits.get(i - 1).lexicalRank());
      } else {
        assertThat(hits.get(i).lexicalRank()).isEqualTo(i + 1);
      }
    }
    assertThat(ties).as("the query has ties").isGreaterThan(5);
  }

  @Test
  void theFusedResultDoesNotDependOnTheOrderOfATie() throws Exception {
    List<Product> backwards = new ArrayList<>(ResultListFixture.catalog());
    Collections.reverse(backwards);
    Map<String, SearchHit> a =
        byId(search(forward, ResultListFixture.catalog(), SearchMode.HYBRID));
    Map<String, SearchHit> b = byId(search(reversed, backwards, SearchMode.HYBRID));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    for (SearchHit h : a.values()) {
      SearchHit o = b.get(h.id());
      assertThat(o.lexicalRank()).as("lexical rank of %s", h.id()).isEqualTo(h.lexicalRank());
      assertThat(o.score()).as("fused score of %s", h.id()).isEqualTo(h.score());
    }
  }
}
