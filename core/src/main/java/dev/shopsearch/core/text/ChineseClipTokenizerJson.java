package dev.shopsearch.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Hugging Face {@code tokenizer.json} of Chinese-CLIP's text tower (a BERT WordPiece
 * tokenizer, {@code ChineseCLIPTokenizer} with {@code do_lower_case}) from its {@code vocab.txt},
 * in the layout transformers' {@code BertConverter} gives the fast tokenizer:
 *
 * <ul>
 *   <li>{@code BertNormalizer}: control characters dropped and whitespace unified, a space around
 *       every CJK ideograph, lower case and accents stripped (BERT's {@code do_lower_case});
 *   <li>{@code BertPreTokenizer}: split on whitespace and around each punctuation character;
 *   <li>{@code WordPiece}: greedy longest-match with the {@code ##} continuation prefix, {@code
 *       [UNK]} for a word with no match or longer than {@value #MAX_WORD_CHARS} characters;
 *   <li>post-processor {@code [CLS] $A [SEP]}; right padding with {@code [PAD]}; right truncation
 *       at {@code maxLength} tokens including the two special tokens.
 * </ul>
 *
 * Ids are line numbers of {@code vocab.txt} (0-based). A bundle names the file in its {@code
 * textSpec} with {@code lowercase = false} (the normaliser lower-cases), and {@link
 * BundleTokenizer} runs it: its truncation keeps {@code [SEP]} last, as Hugging Face's does.
 * Stateless and thread-safe.
 *
 * <p>Command line: {@code java ... dev.shopsearch.core.text.ChineseClipTokenizerJson <vocab.txt>
 * <tokenizer.json> [maxLength]}.
 */
public final class ChineseClipTokenizerJson {
  /** Padding token. */
  public static final String PAD = "[PAD]";

  /** Unknown-word token. */
  public static final String UNK = "[UNK]";

  /** Start-of-sequence token (the text tower pools its position). */
  public static final String CLS = "[CLS]";

  /** End-of-sequence token. */
  public static final String SEP = "[SEP]";

  /** Mask token (masked-language-model pre-training; never produced from text). */
  public static final String MASK = "[MASK]";

  /** Chinese-CLIP's context length ({@code text_config.max_position_embeddings} is 512). */
  public static final int CONTEXT_LENGTH = 52;

  /** Longest word WordPiece splits; longer words become {@link #UNK}. */
  public static final int MAX_WORD_CHARS = 100;

  private static final List<String> SPECIALS = List.of(PAD, UNK, CLS, SEP, MASK);

  private ChineseClipTokenizerJson() {}

  /**
   * Reads {@code vocab.txt} (one token per line, UTF-8) and returns the {@code tokenizer.json}
   * text.
   *
   * @param vocabTxt the vocabulary
   * @param maxLength truncation length including {@code [CLS]} and {@code [SEP]}, at least 2
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if {@code maxLength < 2}, or the vocabulary lacks a special
   *     token, holds an empty line or a token twice (naming the line)
   */
  public static String fromVocab(Path vocabTxt, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2; maxLength=" + maxLength);
    }
    Map<String, Integer> vocab = readVocab(vocabTxt);
    for (String s : SPECIALS) {
      if (!vocab.containsKey(s)) {
        throw new IllegalArgumentException(
            vocabTxt + " lacks the special token " + s + " (needs " + SPECIALS + ")");
      }
    }
    return toJson(vocab, maxLength);
  }

  /**
   * Writes {@link #fromVocab(Path, int)} to {@code out} (UTF-8), creating parent directories.
   *
   * @throws IOException if {@code out} cannot be written
   */
  public static void write(Path vocabTxt, Path out, int maxLength) throws IOException {
    TokenizerJsonParts.write(out, fromVocab(vocabTxt, maxLength));
  }

  /** {@code <vocab.txt> <tokenizer.json> [maxLength]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println(
          "usage: ChineseClipTokenizerJson <vocab.txt> <tokenizer.json> [maxLength]");
      System.exit(2);
    }
    int maxLength = args.length == 3 ? Integer.parseInt(args[2]) : CONTEXT_LENGTH;
    write(Path.of(args[0]), Path.of(args[1]), maxLength);
    System.out.println("wrote " + args[1]);
  }

  private static Map<String, Integer> readVocab(Path vocabTxt) {
    List<String> lines;
    try {
      lines = Files.readAllLines(vocabTxt, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read WordPiece vocabulary " + vocabTxt, e);
    }
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String token = lines.get(i);
      if (token.isEmpty()) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "%s line %d: empty token", vocabTxt, i + 1));
      }
      Integer before = vocab.putIfAbsent(token, i);
      if (before != null) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "%s line %d: token '%s' already on line %d",
                vocabTxt,
                i + 1,
                token,
                before + 1));
      }
    }
    return vocab;
  }

  private static String toJson(Map<String, Integer> vocab, int maxLength) {
    ObjectNode root = TokenizerJsonParts.root();
    root.set("truncation", TokenizerJsonParts.truncation(maxLength));
    root.set("padding", TokenizerJsonParts.padding(vocab.get(PAD), PAD));
    ArrayNode added = root.putArray("added_tokens");
    for (String s : SPECIALS) {
      added.add(TokenizerJsonParts.addedToken(vocab.get(s), s, false));
    }
    ObjectNode bert = TokenizerJsonParts.typed("BertNormalizer");
    bert.put("clean_text", true);
    bert.put("handle_chinese_chars", true);
    bert.putNull("strip_accents"); // null: follow lowercase, as BERT's do_lower_case
    bert.put("lowercase", true);
    root.set("normalizer", bert);
    root.set("pre_tokenizer", TokenizerJsonParts.typed("BertPreTokenizer"));
    root.set(
        "post_processor",
        TokenizerJsonParts.bertTemplate(CLS, vocab.get(CLS), SEP, vocab.get(SEP)));
    ObjectNode decoder = TokenizerJsonParts.typed("WordPiece");
    decoder.put("prefix", "##");
    decoder.put("cleanup", true);
    root.set("decoder", decoder);
    ObjectNode model = TokenizerJsonParts.typed("WordPiece");
    model.put("unk_token", UNK);
    model.put("continuing_subword_prefix", "##");
    model.put("max_input_chars_per_word", MAX_WORD_CHARS);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    root.set("model", model);
    try {
      return TokenizerJsonParts.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise tokenizer.json", e);
    }
  }
}
