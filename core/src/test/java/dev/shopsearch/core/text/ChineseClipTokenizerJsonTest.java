package dev.shopsearch.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chinese-CLIP's WordPiece tokenizer as a bundle runs it ({@link ChineseClipTokenizerJson} through
 * {@link BundleTokenizer}: whitespace clean-up, truncation keeping {@code [SEP]}, padding) against
 * Hugging Face's tokenizers library set up independently as its {@code BertWordPieceTokenizer}
 * serialises itself ({@code BertProcessing}, the library's own truncation and padding).
 */
class ChineseClipTokenizerJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Chinese, English and mixed product titles, emoji, full-width forms, accents, odd spacing. */
  private static final List<String> TITLES =
      List.of(
          "夏季碎花连衣裙",
          "红色碎花连衣裙",
          "Nike 男士跑步鞋 Air Zoom",
          "Apple iPhone 15 Pro Max 手机壳（透明防摔）",
          "👗 新款连衣裙🔥 HOT SALE!!",
          "ＮＩＫＥ　男鞋　ＡＩＲ　ＭＡＸ　２７０",
          "Café crème — Brûlée Ångström naïve Übergröße",
          "  纯棉T恤\t男 短袖\n圆领 ",
          "Women's Hooded Sweatshirt, size XL (navy/blue) - 100% cotton",
          "魔术贴儿童运动鞋 3-6岁 粉色 35码",
          "ｄｅｎｉｍ ｊａｃｋｅｔ 牛仔外套 ¥199.00",
          "supercalifragilisticexpialidocious" + "x".repeat(100) + " 连衣裙",
          "𠀋𪚲 rare ideographs and Ⅻ roman numerals, ½ fractions",
          "Tiếng Việt áo dài đẹp",
          "Ｂｌｕｅ　Ｊｅａｎｓ　ｓｌｉｍ　ｆｉｔ　ｍｅｎ　ｗｏｍｅｎ　夏季新款　".repeat(8)); // longer than maxLength: truncated

  @TempDir static Path tmp;
  private static Path vocab;
  private static Path ours;
  private static Path reference;

  @BeforeAll
  static void build() throws IOException {
    vocab = SharedData.require("tokenizers/chinese-clip/vocab.txt");
    ours = tmp.resolve("ours/tokenizer.json");
    ChineseClipTokenizerJson.write(vocab, ours, ChineseClipTokenizerJson.CONTEXT_LENGTH);
    reference = tmp.resolve("reference/tokenizer.json");
    Files.createDirectories(reference.getParent());
    Files.writeString(reference, bertWordPieceJson(vocab), StandardCharsets.UTF_8);
  }

  private static BundleTokenizer bundle(int maxLength) {
    return BundleTokenizer.load(ours, new TextSpec("tokenizer.json", maxLength, false));
  }

  private static HuggingFaceTokenizer hf(int maxLength) throws IOException {
    return HuggingFaceTokenizer.newInstance(
        reference,
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "maxLength", Integer.toString(maxLength),
            "padding", "true"));
  }

  @Test
  void matchesHuggingFaceBertWordPieceOnProductTitles() throws IOException {
    for (int maxLength : new int[] {ChineseClipTokenizerJson.CONTEXT_LENGTH, 12}) {
      try (BundleTokenizer ourTok = bundle(maxLength);
          HuggingFaceTokenizer refTok = hf(maxLength)) {
        TokenBatch batch = ourTok.encode(TITLES);
        Encoding[] expected = refTok.batchEncode(TITLES);
        assertThat(batch.seqLen()).isEqualTo(expected[0].getIds().length);
        for (int i = 0; i < TITLES.size(); i++) {
          long[] ids =
              Arrays.copyOfRange(batch.ids(), i * batch.seqLen(), (i + 1) * batch.seqLen());
          long[] mask =
              Arrays.copyOfRange(batch.mask(), i * batch.seqLen(), (i + 1) * batch.seqLen());
          assertThat(ids)
              .as("ids of '%s' (maxLength %d)", TITLES.get(i), maxLength)
              .containsExactly(expected[i].getIds());
          assertThat(mask)
              .as("mask of '%s' (maxLength %d)", TITLES.get(i), maxLength)
              .containsExactly(expected[i].getAttentionMask());
        }
      }
    }
  }

  @Test
  void splitsChineseCharactersLowerCasesAndStripsAccents() throws IOException {
    try (HuggingFaceTokenizer tok =
        HuggingFaceTokenizer.newInstance(ours, Map.of("addSpecialTokens", "true"))) {
      assertThat(tok.encode("夏季碎花连衣裙").getTokens())
          .containsExactly("[CLS]", "夏", "季", "碎", "花", "连", "衣", "裙", "[SEP]");
      assertThat(tok.encode("Nike 男士跑步鞋").getTokens())
          .containsExactly("[CLS]", "nike", "男", "士", "跑", "步", "鞋", "[SEP]");
      assertThat(tok.encode("Café").getTokens()).containsExactly("[CLS]", "cafe", "[SEP]");
      assertThat(tok.encode("x".repeat(101)).getTokens())
          .containsExactly("[CLS]", "[UNK]", "[SEP]");
    }
    List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
    try (BundleTokenizer t = bundle(ChineseClipTokenizerJson.CONTEXT_LENGTH)) {
      long[] ids = t.ids("夏季碎花连衣裙");
      assertThat(lines.get((int) ids[0])).isEqualTo("[CLS]");
      assertThat(lines.get((int) ids[ids.length - 1])).isEqualTo("[SEP]");
      assertThat(t.padId()).isEqualTo(lines.indexOf("[PAD]"));
    }
  }

  @Test
  void truncationKeepsSepLast() throws IOException {
    List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
    try (BundleTokenizer t = bundle(8)) {
      long[] ids = t.ids("夏季碎花连衣裙 红色碎花连衣裙");
      assertThat(ids).hasSize(8);
      assertThat(lines.get((int) ids[6])).isEqualTo("衣");
      assertThat(lines.get((int) ids[7])).isEqualTo("[SEP]");
    }
  }

  @Test
  void rejectsAVocabularyWithoutSpecialTokensOrWithDuplicates() throws IOException {
    Path noSpecials = tmp.resolve("no-specials.txt");
    Files.writeString(noSpecials, "[PAD]\n[UNK]\n[CLS]\n[MASK]\n夏\n");
    assertThatThrownBy(() -> ChineseClipTokenizerJson.fromVocab(noSpecials, 52))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks the special token [SEP]");
    Path duplicate = tmp.resolve("duplicate.txt");
    Files.writeString(duplicate, "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n夏\n夏\n");
    assertThatThrownBy(() -> ChineseClipTokenizerJson.fromVocab(duplicate, 52))
        .hasMessageContaining("line 7: token '夏' already on line 6");
    assertThatThrownBy(() -> ChineseClipTokenizerJson.fromVocab(duplicate, 1))
        .hasMessageContaining("maxLength must be >= 2; maxLength=1");
  }

  /**
   * What {@code tokenizers.BertWordPieceTokenizer(vocab, lowercase=True)} serialises:
   * BertNormalizer (accents follow lowercase), BertPreTokenizer, WordPiece, {@code BertProcessing}.
   */
  private static String bertWordPieceJson(Path vocabTxt) throws IOException {
    List<String> lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")) {
      ObjectNode t = added.addObject();
      t.put("id", lines.indexOf(s));
      t.put("content", s);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    ObjectNode normalizer = root.putObject("normalizer");
    normalizer.put("type", "BertNormalizer");
    normalizer.put("clean_text", true);
    normalizer.put("handle_chinese_chars", true);
    normalizer.putNull("strip_accents");
    normalizer.put("lowercase", true);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "BertProcessing");
    post.putArray("sep").add("[SEP]").add(lines.indexOf("[SEP]"));
    post.putArray("cls").add("[CLS]").add(lines.indexOf("[CLS]"));
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordPiece");
    model.put("unk_token", "[UNK]");
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", 100);
    ObjectNode v = model.putObject("vocab");
    for (int i = 0; i < lines.size(); i++) {
      v.put(lines.get(i), i);
    }
    return JSON.writeValueAsString(root);
  }
}
