package dev.shopsearch.service.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopsearch.service.problem.InvalidRequestException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchFiltersTest {

  @Test
  void normalisesLikeTheIndexer() {
    SearchFilters f =
        SearchFilters.of(
            List.of(" Men / Tops ", "Women"),
            List.of("Navy Blue"),
            1.0,
            9.5,
            true,
            SearchFilters.parseAttributes(List.of("Gender:Women", "gender:Unisex")));
    assertThat(f.categories()).containsExactly("men/tops", "women");
    assertThat(f.colours()).containsExactly("navy blue");
    assertThat(f.attributes()).isEqualTo(Map.of("gender", List.of("women", "unisex")));
    assertThat(f.isEmpty()).isFalse();
    assertThat(SearchFilters.of(null, null, null, null, null, null).isEmpty()).isTrue();
  }

  @Test
  void badValuesNameTheFilterAndTheLimit() {
    assertThatThrownBy(() -> SearchFilters.of(null, null, 10.0, 5.0, null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("minPrice (10.0) must not exceed maxPrice (5.0)");
    assertThatThrownBy(() -> SearchFilters.of(null, null, -1.0, null, null, null))
        .hasMessageContaining("minPrice must be a finite number >= 0");
    assertThatThrownBy(() -> SearchFilters.of(List.of(" / "), null, null, null, null, null))
        .hasMessageContaining("category");
    assertThatThrownBy(
            () -> SearchFilters.of(null, Collections.nCopies(33, "red"), null, null, null, null))
        .hasMessageContaining("at most 32 colour values; got 33");
    assertThatThrownBy(() -> SearchFilters.parseAttributes(List.of("gender")))
        .hasMessageContaining("name:value");
    assertThatThrownBy(
            () -> SearchFilters.of(null, null, null, null, null, Map.of("bad name!", List.of("x"))))
        .hasMessageContaining("attribute name must match");
    assertThatThrownBy(
            () -> SearchFilters.of(null, List.of("x".repeat(201)), null, null, null, null))
        .hasMessageContaining("at most 200 characters; got 201");
  }
}
