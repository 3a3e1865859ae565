package dev.shopsearch.core.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.junit.jupiter.api.Test;

class LexicalAnalysisTest {

  static List<String> tokens(Analyzer analyzer, String field, String text) throws IOException {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    }
    return out;
  }

  @Test
  void englishKeepsWordsAndDropsCjkCharacters() throws IOException {
    try (Analyzer a = LexicalAnalysis.english()) {
      assertThat(tokens(a, "f", "Red Floral Dress 红色碎花连衣裙 T恤 size 38"))
          .containsExactly("red", "floral", "dress", "t", "size", "38");
      assertThat(tokens(a, "f", "ｒｅｄ ＤＲＥＳＳ"))
          .as("full-width folded")
          .containsExactly("red", "dress");
      assertThat(tokens(a, "f", "碎花")).isEmpty();
    }
  }

  @Test
  void cjkIndexesBigramsAndUnigramsAndQueriesBigramsOnly() throws IOException {
    try (Analyzer index = LexicalAnalysis.cjk(true);
        Analyzer query = LexicalAnalysis.cjk(false)) {
      assertThat(tokens(index, "f", "碎花裙 red"))
          .containsExactlyInAnyOrder("碎", "花", "裙", "碎花", "花裙");
      assertThat(tokens(query, "f", "夏季碎花连衣裙")).containsExactly("夏季", "季碎", "碎花", "花连", "连衣", "衣裙");
      assertThat(tokens(query, "f", "red 碎花 dress")).containsExactly("碎花");
      assertThat(tokens(query, "f", "花")).as("a lone character stays a query").containsExactly("花");
      assertThat(tokens(query, "f", "Red Floral Dress")).isEmpty();
    }
  }

  @Test
  void mixedHasBothScriptsInOneStream() throws IOException {
    try (Analyzer a = LexicalAnalysis.mixed(false)) {
      assertThat(tokens(a, "f", "Floral 碎花裙")).containsExactly("floral", "碎花", "花裙");
    }
  }

  @Test
  void indexingAndQueryingPickTheAnalyzerByField() throws IOException {
    try (Analyzer indexing = LexicalAnalysis.indexing();
        Analyzer querying = LexicalAnalysis.querying()) {
      assertThat(tokens(indexing, IndexSchema.NAME, "碎花 dress")).containsExactly("dress");
      assertThat(tokens(indexing, IndexSchema.NAME_CJK, "碎花 dress"))
          .containsExactlyInAnyOrder("碎", "花", "碎花");
      assertThat(tokens(querying, IndexSchema.NAME_CJK, "碎花 dress")).containsExactly("碎花");
      assertThat(tokens(querying, IndexSchema.ATTRIBUTES_CJK, "碎花")).containsExactly("碎花");
    }
    for (String cjk : IndexSchema.CJK_TWINS.values()) {
      assertThat(LexicalAnalysis.isCjkField(cjk)).as(cjk).isTrue();
    }
    assertThat(LexicalAnalysis.isCjkField(IndexSchema.NAME)).isFalse();
  }

  @Test
  void hasCjkFindsAnyCjkScript() {
    assertThat(LexicalAnalysis.hasCjk("Red dress")).isFalse();
    assertThat(LexicalAnalysis.hasCjk("dress 连衣裙")).isTrue();
    assertThat(LexicalAnalysis.hasCjk("ワンピース")).isTrue();
    assertThat(LexicalAnalysis.hasCjk("원피스")).isTrue();
    assertThat(LexicalAnalysis.hasCjk("")).isFalse();
  }
}
