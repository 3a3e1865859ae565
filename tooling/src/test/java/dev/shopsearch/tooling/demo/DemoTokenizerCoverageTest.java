package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.text.WordLevelTokenizerJson;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo tokenizer built from {@link DemoCaptionCorpus} knows every word of every caption. */
class DemoTokenizerCoverageTest {

  @Test
  void everyCaptionTokenIsInTheVocabulary() throws Exception {
    String json = WordLevelTokenizerJson.build(DemoCaptionCorpus.allCaptions(), 1, 4096);
    JsonNode vocab = new ObjectMapper().readTree(json).at("/model/vocab");
    assertThat(vocab.isObject()).as("model.vocab in tokenizer.json").isTrue();
    Set<String> known = new HashSet<>();
    vocab.fieldNames().forEachRemaining(known::add);
    for (String caption : DemoCaptionCorpus.allCaptions()) {
      assertThat(known)
          .as("tokens of '%s'", caption)
          .containsAll(WordLevelTokenizerJson.preTokenize(caption));
    }
    assertThat(WordLevelTokenizerJson.preTokenize("红色碎花连衣裙"))
        .containsExactly("红", "色", "碎", "花", "连", "衣", "裙");
    // 12 colours, 5 patterns, 12 types in two languages stay a small vocabulary.
    assertThat(known.size()).isBetween(60, 200);
  }
}
