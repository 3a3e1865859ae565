package dev.shopsearch.tooling.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCaptionCorpusTest {

  @Test
  void coversEveryCombinationInBothLanguages() {
    List<String> all = DemoCaptionCorpus.allCaptions();
    assertThat(all).hasSize(2 * AttributeCombo.COUNT).doesNotHaveDuplicates();
    assertThat(all).contains("red floral dress", "红色碎花连衣裙", "navy polka-dot t-shirt", "藏青色波点T恤");
    assertThat(DemoCaptionCorpus.englishCaptions()).allMatch(s -> s.matches("[a-z -]+"));
    assertThat(DemoCaptionCorpus.chineseCaptions())
        .allMatch(
            s ->
                s.codePoints()
                    .anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN));
  }

  @Test
  void readsTheTextsOfAGeneratedCatalog(@TempDir Path dir) throws Exception {
    DemoCatalog catalog =
        DemoCatalogGenerator.generate(
            dir,
            DemoCatalogConfig.of(24, 3).withImageSize(32).withMaxViews(1),
            (done, total) -> {});
    List<String> captions = DemoCaptionCorpus.fromCatalog(catalog.catalogFile(), false);
    List<String> texts = DemoCaptionCorpus.fromCatalog(catalog.catalogFile(), true);
    assertThat(captions).hasSize(48);
    assertThat(texts).hasSize(96);
    DemoProduct first = catalog.products().get(0);
    assertThat(captions.subList(0, 2))
        .containsExactly(first.combo().captionEn(), first.combo().captionZh());
    assertThat(texts.subList(0, 4))
        .containsExactly(
            first.combo().captionEn(),
            first.combo().captionZh(),
            first.name(),
            first.description());
  }

  @Test
  void namesTheLineThatIsNotADemoProduct(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("catalog.jsonl");
    Files.writeString(
        file,
        "{\"caption_en\":\"red solid cap\",\"caption_zh\":\"红色纯色棒球帽\"}\n{\"id\":\"x\"}\n",
        StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DemoCaptionCorpus.fromCatalog(file, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("caption_en");
    Files.writeString(file, "not json\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> DemoCaptionCorpus.fromCatalog(file, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 1 is not JSON");
  }
}
