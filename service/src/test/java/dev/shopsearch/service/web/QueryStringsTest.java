package dev.shopsearch.service.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringsTest {

  @Test
  void wellFormedQueriesHaveNothingToReport() {
    assertThat(QueryStrings.firstUndecodable(null)).isNull();
    assertThat(QueryStrings.firstUndecodable("")).isNull();
    assertThat(QueryStrings.firstUndecodable("q=red+dress&k=5&flag&colour=%E7%BA%A2")).isNull();
    assertThat(QueryStrings.firstUndecodable("q=%F0%9F%91%97")).isNull(); // a 4-byte emoji
  }

  @Test
  void namesTheFirstBadPairAndWhatIsWrong() {
    QueryStrings.Undecodable bad = QueryStrings.firstUndecodable("k=3&q=%c3%28&x=%ff");
    assertThat(bad.name()).isEqualTo("q");
    assertThat(bad.raw()).isEqualTo("q=%c3%28");
    assertThat(bad.problem()).contains("c3 28").contains("UTF-8");
    QueryStrings.Undecodable escape = QueryStrings.firstUndecodable("q=abc%4");
    assertThat(escape.problem()).contains("position 3").contains("two hex digits");
    QueryStrings.Undecodable name = QueryStrings.firstUndecodable("%ed%a0%80=1");
    assertThat(name.name()).isEqualTo("%ed%a0%80");
  }

  @Test
  void longValuesAreCutWhenQuoted() {
    QueryStrings.Undecodable bad = QueryStrings.firstUndecodable("q=" + "a".repeat(500) + "%ff");
    assertThat(bad.raw()).hasSize(QueryStrings.MAX_QUOTED + 1).endsWith("…");
  }
}
