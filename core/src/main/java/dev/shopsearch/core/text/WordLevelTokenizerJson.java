package dev.shopsearch.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a bilingual (e.g. English + Chinese) word-level Hugging Face {@code tokenizer.json} from a
 * corpus: text is lower-cased, every CJK ideograph becomes its own token, other text is split on
 * whitespace and punctuation (each punctuation character is a token). This is NFC plus Hugging
 * Face's {@code BertNormalizer} (clean text, Chinese characters, lower case, accents kept) followed
 * by {@code BertPreTokenizer}; {@link #preTokenize(String)} is the same split in Java and is what
 * the vocabulary is counted with.
 *
 * <p>Ids: {@value #UNK} = 0, {@value #BOS} = 1, {@value #EOS} = 2 (also the pad token), then the
 * corpus tokens by descending count (ties in {@link String#compareTo} order). A TemplateProcessing
 * post-processor wraps every sequence in {@code BOS ... EOS}, so the end-of-text token is the last
 * real token as CLIP's EOT pooling expects. Stateless and thread-safe.
 */
public final class WordLevelTokenizerJson {
  /** Unknown-token marker (id 0). */
  public static final String UNK = "[UNK]";

  /** Start-of-text token (id 1). */
  public static final String BOS = "<|startoftext|>";

  /** End-of-text and pad token (id 2). */
  public static final String EOS = "<|endoftext|>";

  /** Number of special tokens before the corpus tokens. */
  public static final int SPECIALS = 3;

  private WordLevelTokenizerJson() {}

  /**
   * Counts tokens over {@code lines} and returns the {@code tokenizer.json} text.
   *
   * @param lines corpus text, one entry per line or document (null entries are skipped)
   * @param minCount minimum occurrences for a token to enter the vocabulary (>= 1)
   * @param maxVocab maximum vocabulary size including the {@value #SPECIALS} special tokens
   * @throws IllegalArgumentException if {@code minCount < 1} or {@code maxVocab <= SPECIALS}
   */
  public static String build(Iterable<String> lines, int minCount, int maxVocab) {
    if (minCount < 1) {
      throw new IllegalArgumentException("minCount must be >= 1; minCount=" + minCount);
    }
    if (maxVocab <= SPECIALS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "maxVocab must be > %d (the special tokens); maxVocab=%d",
              SPECIALS,
              maxVocab));
    }
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines) {
      if (line != null) {
        for (String token : preTokenize(line)) {
          counts.merge(token, 1, Integer::sum);
        }
      }
    }
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= minCount && !isSpecial(e.getKey())) {
        ranked.add(e);
      }
    }
    ranked.sort(
        Comparator.comparing(Map.Entry<String, Integer>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    Map<String, Integer> vocab = new LinkedHashMap<>();
    vocab.put(UNK, 0);
    vocab.put(BOS, 1);
    vocab.put(EOS, 2);
    for (Map.Entry<String, Integer> e : ranked) {
      if (vocab.size() >= maxVocab) {
        break;
      }
      vocab.put(e.getKey(), vocab.size());
    }
    return toJson(vocab);
  }

  /**
   * Splits text as the tokenizer does: NFC, lower case ({@link Locale#ROOT}), control characters
   * dropped, CJK ideographs and punctuation as single tokens, whitespace as separator.
   */
  public static List<String> preTokenize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == 0 || cp == 0xFFFD || (isControl(cp) && !Character.isWhitespace(cp))) {
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        flush(word, out);
      } else if (isCjk(cp) || isPunctuation(cp)) {
        flush(word, out);
        out.add(Character.toString(cp));
      } else {
        word.appendCodePoint(cp);
      }
    }
    flush(word, out);
    return out;
  }

  private static void flush(StringBuilder word, List<String> out) {
    if (!word.isEmpty()) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  private static boolean isSpecial(String token) {
    return token.equals(UNK) || token.equals(BOS) || token.equals(EOS);
  }

  private static boolean isControl(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED;
  }

  /** The CJK ranges of BERT's {@code _is_chinese_char} (which Hugging Face's normaliser uses). */
  static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /** ASCII punctuation or a Unicode punctuation category (BERT's rule). */
  static boolean isPunctuation(int cp) {
    if (cp < 128) {
      return (cp >= 33 && cp <= 47)
          || (cp >= 58 && cp <= 64)
          || (cp >= 91 && cp <= 96)
          || (cp >= 123 && cp <= 126);
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  private static String toJson(Map<String, Integer> vocab) {
    ObjectNode root = TokenizerJsonParts.root();
    root.putNull("truncation");
    root.set("padding", TokenizerJsonParts.padding(2, EOS));
    root.putArray("added_tokens")
        .add(TokenizerJsonParts.addedToken(0, UNK, false))
        .add(TokenizerJsonParts.addedToken(1, BOS, false))
        .add(TokenizerJsonParts.addedToken(2, EOS, false));
    ObjectNode bert = TokenizerJsonParts.typed("BertNormalizer");
    bert.put("clean_text", true);
    bert.put("handle_chinese_chars", true);
    bert.put("strip_accents", false);
    bert.put("lowercase", true);
    ObjectNode normalizer = TokenizerJsonParts.typed("Sequence");
    normalizer.putArray("normalizers").add(TokenizerJsonParts.typed("NFC")).add(bert);
    root.set("normalizer", normalizer);
    root.set("pre_tokenizer", TokenizerJsonParts.typed("BertPreTokenizer"));
    root.set("post_processor", TokenizerJsonParts.template(BOS, 1, EOS, 2));
    root.putNull("decoder");
    ObjectNode model = TokenizerJsonParts.typed("WordLevel");
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    model.put("unk_token", UNK);
    root.set("model", model);
    try {
      return TokenizerJsonParts.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise tokenizer.json", e);
    }
  }
}
