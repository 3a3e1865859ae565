package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LuceneQueriesTest {

  @Test
  void unfilteredKnnHasNoPreFilterAndAFilteredOneKeepsTheImageType() {
    assertThat(LuceneQueries.knnFilter(SearchFilters.of(null, null, null, null, null, null)))
        .isNull();

    String q =
        LuceneQueries.knnFilter(SearchFilters.of(null, List.of("red"), null, null, null, null))
            .toString();
    assertThat(q).contains("doc_type:image").contains("red");
  }
}
