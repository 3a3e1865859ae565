package dev.shopsearch.tooling.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bilingual text of the demo catalog, for building the demo tokenizer's vocabulary (e.g. {@code
 * WordLevelTokenizerJson.build(...)}) and for training. {@link #allCaptions()} covers every colour
 * × pattern × category combination, held-out ones included, so a tokenizer built from it knows
 * every word a demo query can use.
 */
public final class DemoCaptionCorpus {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoCaptionCorpus() {}

  /** Every combination, ordered by category, then colour, then pattern (enum order). */
  public static List<AttributeCombo> allCombos() {
    List<AttributeCombo> combos = new ArrayList<>(AttributeCombo.COUNT);
    for (DemoCategory category : DemoCategory.values()) {
      for (DemoColour colour : DemoColour.values()) {
        for (DemoPattern pattern : DemoPattern.values()) {
          combos.add(new AttributeCombo(category, colour, pattern));
        }
      }
    }
    return combos;
  }

  /** English captions of {@link #allCombos()}, e.g. {@code "red floral dress"}. */
  public static List<String> englishCaptions() {
    return allCombos().stream().map(AttributeCombo::captionEn).toList();
  }

  /** Chinese captions of {@link #allCombos()}, e.g. {@code "红色碎花连衣裙"}. */
  public static List<String> chineseCaptions() {
    return allCombos().stream().map(AttributeCombo::captionZh).toList();
  }

  /** {@link #englishCaptions()} followed by {@link #chineseCaptions()}. */
  public static List<String> allCaptions() {
    List<String> all = new ArrayList<>(englishCaptions());
    all.addAll(chineseCaptions());
    return all;
  }

  /**
   * The texts of a generated {@code catalog.jsonl}, line by line: {@code caption_en}, {@code
   * caption_zh} and, when {@code withNamesAndDescriptions}, also {@code name} and {@code
   * description}.
   *
   * @throws IllegalArgumentException naming the file and line when a line is not a demo product
   */
  public static List<String> fromCatalog(Path catalogJsonl, boolean withNamesAndDescriptions)
      throws IOException {
    List<String> fields =
        withNamesAndDescriptions
            ? List.of("caption_en", "caption_zh", "name", "description")
            : List.of("caption_en", "caption_zh");
    List<String> texts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(catalogJsonl, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(
              catalogJsonl + " line " + lineNo + " is not JSON: " + e.getOriginalMessage(), e);
        }
        for (String field : fields) {
          JsonNode value = node.get(field);
          if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(
                catalogJsonl
                    + " line "
                    + lineNo
                    + " has no text field '"
                    + field
                    + "'; is it a demo catalog?");
          }
          texts.add(value.asText());
        }
      }
    }
    return texts;
  }
}
