package dev.shopsearch.tooling.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.ImageSpec;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.text.ChineseClipTokenizerJson;
import dev.shopsearch.core.text.SiglipTokenizerJson;
import dev.shopsearch.core.text.WordLevelTokenizerJson;
import dev.shopsearch.tooling.onnx.ClipBundleExporter;
import dev.shopsearch.tooling.onnx.ClipConfig;
import dev.shopsearch.tooling.onnx.ClipWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a tiny random-weight CLIP model bundle ({@link ClipConfig#tiny}: width 64, 2+2
 * blocks, 32 px images, 32-dimensional embeddings) with a word-level English/Chinese tokenizer
 * covering {@link #VOCABULARY} (colours, materials, patterns, product categories). Text tower
 * inputs {@code input_ids, attention_mask} → {@code text_embeds}; image tower {@code pixel_values
 * [batch, 3, 32, 32]} → {@code image_embeds}; text {@code maxLength} {@value #MAX_LENGTH}.
 *
 * <p>The weights are random, so embeddings carry no meaning, but they are deterministic for a seed
 * and differ between texts and between images. Creating a bundle takes well under a second.
 */
public final class TinyClipBundle {
  /** Embedding dimension of the tiny bundle. */
  public static final int DIM = 32;

  /** Image side in pixels. */
  public static final int IMAGE_SIZE = 32;

  /** Maximum tokens per text, including start and end of text. */
  public static final int MAX_LENGTH = 32;

  /** Words the tokenizer knows (English words and Chinese phrases, split per character). */
  public static final List<String> VOCABULARY =
      List.of(
          // colours
          "red",
          "blue",
          "green",
          "black",
          "white",
          "yellow",
          "pink",
          "purple",
          "orange",
          "brown",
          "grey",
          "gray",
          "beige",
          "navy",
          "gold",
          "silver",
          "红色",
          "蓝色",
          "绿色",
          "黑色",
          "白色",
          "黄色",
          "粉色",
          "紫色",
          "橙色",
          "棕色",
          "灰色",
          "米色",
          "金色",
          "银色",
          // materials and patterns
          "leather",
          "cotton",
          "denim",
          "silk",
          "wool",
          "linen",
          "polyester",
          "canvas",
          "floral",
          "striped",
          "plaid",
          "checked",
          "dotted",
          "solid",
          "printed",
          "camouflage",
          "皮革",
          "棉",
          "牛仔",
          "丝绸",
          "羊毛",
          "亚麻",
          "碎花",
          "条纹",
          "格子",
          "波点",
          "纯色",
          "印花",
          // categories
          "dress",
          "shirt",
          "t-shirt",
          "jeans",
          "skirt",
          "jacket",
          "coat",
          "sweater",
          "hoodie",
          "shorts",
          "pants",
          "shoes",
          "sneakers",
          "boots",
          "sandals",
          "bag",
          "handbag",
          "backpack",
          "hat",
          "scarf",
          "watch",
          "sunglasses",
          "yoga",
          "mat",
          "bottle",
          "tee",
          "top",
          "tank",
          "连衣裙",
          "衬衫",
          "T恤",
          "牛仔裤",
          "裙子",
          "夹克",
          "外套",
          "毛衣",
          "卫衣",
          "短裤",
          "裤子",
          "鞋",
          "运动鞋",
          "靴子",
          "凉鞋",
          "包",
          "手提包",
          "背包",
          "帽子",
          "围巾",
          "手表",
          "太阳镜",
          "瑜伽垫",
          "水瓶",
          // descriptors and glue words
          "men's",
          "women's",
          "kids",
          "summer",
          "winter",
          "long",
          "short",
          "sleeve",
          "slim",
          "fit",
          "casual",
          "sport",
          "running",
          "a",
          "the",
          "for",
          "with",
          "and",
          "of",
          "in",
          "photo",
          "男士",
          "女士",
          "儿童",
          "夏季",
          "冬季",
          "长袖",
          "短袖",
          "修身",
          "休闲",
          "运动",
          "跑步");

  private TinyClipBundle() {}

  /** The tokenizer.json covering {@link #VOCABULARY}. */
  public static String tokenizerJson() {
    return WordLevelTokenizerJson.build(VOCABULARY, 1, 10_000);
  }

  /** The architecture for a tokenizer of {@code vocabSize} tokens. */
  public static ClipConfig config(int vocabSize) {
    return ClipConfig.tiny(vocabSize);
  }

  /**
   * Writes the bundle into {@code dir} (created; must be empty or absent) and returns it loaded.
   *
   * @param seed weight seed; the same seed gives the same files and content hash
   */
  public static ModelBundle create(Path dir, long seed) {
    String tokenizer = tokenizerJson();
    ClipConfig config = config(vocabSize(tokenizer));
    ClipWeights weights = ClipWeights.random(config, seed);
    return ClipBundleExporter.export(
        dir,
        config,
        weights,
        tokenizer.getBytes(StandardCharsets.UTF_8),
        "tiny-clip",
        "seed-" + seed,
        Map.of("fixture", "TinyClipBundle", "seed", seed),
        new TextSpec("tokenizer.json", MAX_LENGTH, true),
        ImageSpec.clip(IMAGE_SIZE));
  }

  /**
   * A tiny random-weight Chinese-CLIP bundle ({@link ClipConfig#tinyChineseClip}: BERT text tower,
   * same image tower and sizes as {@link #create}) with the WordPiece {@code tokenizer.json} core's
   * {@link ChineseClipTokenizerJson} builds from a {@code vocab.txt} of the five special tokens and
   * the basic tokens of {@link #VOCABULARY} (every Chinese character, every lower-cased English
   * word and punctuation mark); named {@code tiny-chinese-clip}.
   */
  public static ModelBundle createChineseClip(Path dir, long seed) {
    List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
    for (String w : VOCABULARY) {
      for (String t : basicTokens(w)) {
        if (!vocab.contains(t)) {
          vocab.add(t);
        }
      }
    }
    String tokenizer;
    try {
      Path vocabTxt = Files.createTempFile("tiny-chinese-clip-", "-vocab.txt");
      try {
        Files.write(vocabTxt, vocab);
        tokenizer = ChineseClipTokenizerJson.fromVocab(vocabTxt, MAX_LENGTH);
      } finally {
        Files.delete(vocabTxt);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ClipConfig config = ClipConfig.tinyChineseClip(vocab.size());
    return ClipBundleExporter.export(
        dir,
        config,
        ClipWeights.random(config, seed),
        tokenizer.getBytes(StandardCharsets.UTF_8),
        "tiny-chinese-clip",
        "seed-" + seed,
        Map.of("fixture", "TinyClipBundle.createChineseClip", "seed", seed),
        new TextSpec("tokenizer.json", MAX_LENGTH, false),
        ImageSpec.clip(IMAGE_SIZE));
  }

  /**
   * A tiny random-weight SigLIP bundle ({@link ClipConfig#tinySiglip}: attention-pooling image
   * tower, last-position text tower, dimension {@link #DIM}) with a SigLIP-layout Unigram {@code
   * tokenizer.json} ({@link #siglipTokenizerJson}) and SigLIP's preprocessing (resize without crop,
   * mean and std 0.5); named {@code tiny-siglip}.
   */
  public static ModelBundle createSiglip(Path dir, long seed) {
    String tokenizer = siglipTokenizerJson();
    ClipConfig config = ClipConfig.tinySiglip(SiglipTokenizerJson.SPECIALS + siglipPieces().size());
    float[] half = {0.5f, 0.5f, 0.5f};
    return ClipBundleExporter.export(
        dir,
        config,
        ClipWeights.random(config, seed),
        tokenizer.getBytes(StandardCharsets.UTF_8),
        "tiny-siglip",
        "seed-" + seed,
        Map.of("fixture", "TinyClipBundle.createSiglip", "seed", seed),
        new TextSpec("tokenizer.json", config.text().contextLength(), true),
        new ImageSpec(IMAGE_SIZE, ImageSpec.Resample.BICUBIC, false, half, half));
  }

  /**
   * A SigLIP-layout Unigram tokenizer over {@link #VOCABULARY}: every lower-cased word as a
   * word-initial ({@code ▁word}) and an inner piece (score -1), every character of them and the
   * bare {@code ▁} (score -3), so that Viterbi prefers whole words; truncation at 16.
   */
  public static String siglipTokenizerJson() {
    return SiglipTokenizerJson.build(siglipPieces(), 16);
  }

  private static List<SiglipTokenizerJson.Piece> siglipPieces() {
    java.util.LinkedHashMap<String, Double> scores = new java.util.LinkedHashMap<>();
    for (String phrase : VOCABULARY) {
      for (String w : phrase.toLowerCase(java.util.Locale.ROOT).split("\\s+")) {
        if (w.isEmpty()) {
          continue;
        }
        scores.put(SiglipTokenizerJson.SPACE + w, -1.0);
        scores.putIfAbsent(w, -1.0);
        w.codePoints().forEach(cp -> scores.putIfAbsent(new String(Character.toChars(cp)), -3.0));
      }
    }
    scores.putIfAbsent(SiglipTokenizerJson.SPACE, -3.0);
    List<SiglipTokenizerJson.Piece> out = new ArrayList<>();
    scores.forEach((k, v) -> out.add(new SiglipTokenizerJson.Piece(k, v)));
    return out;
  }

  /** BERT's basic split: CJK characters and punctuation alone, runs of letters and digits. */
  private static List<String> basicTokens(String word) {
    List<String> out = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (int cp : word.toLowerCase(java.util.Locale.ROOT).codePoints().toArray()) {
      if (Character.isLetterOrDigit(cp)
          && Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN) {
        run.appendCodePoint(cp);
        continue;
      }
      if (!run.isEmpty()) {
        out.add(run.toString());
        run.setLength(0);
      }
      if (!Character.isWhitespace(cp)) {
        out.add(new String(Character.toChars(cp)));
      }
    }
    if (!run.isEmpty()) {
      out.add(run.toString());
    }
    return out;
  }

  /** The weights {@link #create} writes for {@code seed}. */
  public static ClipWeights weights(long seed) {
    return ClipWeights.random(config(vocabSize(tokenizerJson())), seed);
  }

  /** Every single token of {@link #VOCABULARY} after pre-tokenisation, without duplicates. */
  public static List<String> tokens() {
    List<String> out = new ArrayList<>();
    for (String w : VOCABULARY) {
      for (String t : WordLevelTokenizerJson.preTokenize(w)) {
        if (!out.contains(t)) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static int vocabSize(String tokenizerJson) {
    try {
      return new ObjectMapper().readTree(tokenizerJson).path("model").path("vocab").size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
