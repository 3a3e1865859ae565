package dev.shopsearch.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Builds a Hugging Face {@code tokenizer.json} for OpenAI CLIP's byte-level BPE from its merges
 * file ({@code bpe_simple_vocab_16e6.txt.gz}), with the vocabulary laid out exactly as CLIP's
 * {@code SimpleTokenizer} builds it:
 *
 * <ol>
 *   <li>the 256 {@code bytes_to_unicode} characters (ids 0-255),
 *   <li>the same characters with {@code </w>} appended (256-511),
 *   <li>one token per merge, the first {@value #MERGES} merges of the file (512-49405),
 *   <li>{@code <|startoftext|>} = {@value #BOS_ID} and {@code <|endoftext|>} = {@value #EOS_ID}.
 * </ol>
 *
 * The tokenizer normalises with NFC, collapses whitespace and lower-cases; splits with CLIP's regex
 * then maps bytes to characters (ByteLevel without its own regex); the BPE model uses the {@code
 * </w>} end-of-word suffix; a TemplateProcessing post-processor adds {@code <|startoftext|>} and
 * {@code <|endoftext|>}; padding (right, batch-longest) uses {@code <|endoftext|>}; truncation
 * keeps {@code maxLength} tokens. Stateless and thread-safe.
 *
 * <p>Command line: {@code java ... dev.shopsearch.core.text.ClipBpeTokenizerJson <bpe.txt.gz>
 * <tokenizer.json> [maxLength]}.
 */
public final class ClipBpeTokenizerJson {
  /** Number of merges CLIP uses (49152 - 256 - 2). */
  public static final int MERGES = 49152 - 256 - 2;

  /** Vocabulary size (49408). */
  public static final int VOCAB_SIZE = 2 * 256 + MERGES + 2;

  /** Start-of-text token. */
  public static final String BOS = "<|startoftext|>";

  /** End-of-text token (also the pad and unknown token). */
  public static final String EOS = "<|endoftext|>";

  /** Id of {@link #BOS}. */
  public static final int BOS_ID = 49406;

  /** Id of {@link #EOS}. */
  public static final int EOS_ID = 49407;

  /** CLIP's default context length. */
  public static final int CONTEXT_LENGTH = 77;

  /** CLIP's split pattern (as in the Hugging Face CLIP tokenizer). */
  static final String SPLIT_REGEX =
      "'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";

  private ClipBpeTokenizerJson() {}

  /** {@link #fromBpeVocab(Path, int)} with CLIP's context length {@value #CONTEXT_LENGTH}. */
  public static String fromBpeVocab(Path bpeGz) {
    return fromBpeVocab(bpeGz, CONTEXT_LENGTH);
  }

  /**
   * Reads the gzipped merges file and returns the {@code tokenizer.json} text.
   *
   * @param bpeGz CLIP's {@code bpe_simple_vocab_16e6.txt.gz}
   * @param maxLength truncation length including the two special tokens
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException if it holds fewer than {@value #MERGES} merges or a malformed
   *     line (naming the line number)
   */
  public static String fromBpeVocab(Path bpeGz, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2; maxLength=" + maxLength);
    }
    List<String[]> merges = readMerges(bpeGz);
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<String> byteChars = bytesToUnicode();
    for (String c : byteChars) {
      vocab.put(c, vocab.size());
    }
    for (String c : byteChars) {
      vocab.put(c + "</w>", vocab.size());
    }
    for (String[] m : merges) {
      vocab.putIfAbsent(m[0] + m[1], vocab.size());
    }
    if (vocab.size() != BOS_ID) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s: expected %d distinct tokens before the special tokens, got %d",
              bpeGz,
              BOS_ID,
              vocab.size()));
    }
    vocab.put(BOS, BOS_ID);
    vocab.put(EOS, EOS_ID);
    return toJson(vocab, merges, maxLength);
  }

  /**
   * Writes {@link #fromBpeVocab(Path, int)} to {@code out} (UTF-8), creating parent directories.
   */
  public static void write(Path bpeGz, Path out, int maxLength) throws IOException {
    TokenizerJsonParts.write(out, fromBpeVocab(bpeGz, maxLength));
  }

  /** {@code <bpe.txt.gz> <tokenizer.json> [maxLength]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println(
          "usage: ClipBpeTokenizerJson <bpe_simple_vocab_16e6.txt.gz> <tokenizer.json> [maxLength]");
      System.exit(2);
    }
    int maxLength = args.length == 3 ? Integer.parseInt(args[2]) : CONTEXT_LENGTH;
    write(Path.of(args[0]), Path.of(args[1]), maxLength);
    System.out.println("wrote " + args[1] + " (" + VOCAB_SIZE + " tokens)");
  }

  /** CLIP's {@code bytes_to_unicode()} values in dictionary order (index = position, not byte). */
  static List<String> bytesToUnicode() {
    List<Integer> bs = new ArrayList<>();
    for (int b = '!'; b <= '~'; b++) {
      bs.add(b);
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      bs.add(b);
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      bs.add(b);
    }
    List<String> chars = new ArrayList<>();
    for (int b : bs) {
      chars.add(Character.toString(b));
    }
    int n = 0;
    for (int b = 0; b < 256; b++) {
      if (!bs.contains(b)) {
        chars.add(Character.toString(256 + n));
        n++;
      }
    }
    return chars;
  }

  private static List<String[]> readMerges(Path bpeGz) {
    List<String[]> merges = new ArrayList<>(MERGES);
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(bpeGz)), StandardCharsets.UTF_8))) {
      String header = r.readLine(); // "#version: ..."
      if (header == null) {
        throw new IllegalArgumentException(bpeGz + " is empty");
      }
      int lineNo = 1;
      String line;
      while (merges.size() < MERGES && (line = r.readLine()) != null) {
        lineNo++;
        String[] parts = line.split(" ");
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT, "%s line %d: expected two symbols, got '%s'", bpeGz, lineNo, line));
        }
        merges.add(parts);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CLIP BPE merges " + bpeGz, e);
    }
    if (merges.size() < MERGES) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT, "%s holds %d merges; CLIP needs %d", bpeGz, merges.size(), MERGES));
    }
    return merges;
  }

  private static String toJson(Map<String, Integer> vocab, List<String[]> merges, int maxLength) {
    ObjectNode root = TokenizerJsonParts.root();
    root.set("truncation", TokenizerJsonParts.truncation(maxLength));
    root.set("padding", TokenizerJsonParts.padding(EOS_ID, EOS));
    root.putArray("added_tokens")
        .add(TokenizerJsonParts.addedToken(BOS_ID, BOS, true))
        .add(TokenizerJsonParts.addedToken(EOS_ID, EOS, false));

    ObjectNode normalizer = TokenizerJsonParts.typed("Sequence");
    ObjectNode replace = TokenizerJsonParts.typed("Replace");
    replace.set("pattern", TokenizerJsonParts.regex("\\s+"));
    replace.put("content", " ");
    normalizer
        .putArray("normalizers")
        .add(TokenizerJsonParts.typed("NFC"))
        .add(replace)
        .add(TokenizerJsonParts.typed("Lowercase"));
    root.set("normalizer", normalizer);

    ObjectNode split = TokenizerJsonParts.typed("Split");
    split.set("pattern", TokenizerJsonParts.regex(SPLIT_REGEX));
    split.put("behavior", "Removed");
    split.put("invert", true);
    ObjectNode byteLevel = TokenizerJsonParts.typed("ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", true);
    byteLevel.put("use_regex", false);
    ObjectNode pre = TokenizerJsonParts.typed("Sequence");
    pre.putArray("pretokenizers").add(split).add(byteLevel);
    root.set("pre_tokenizer", pre);

    root.set("post_processor", TokenizerJsonParts.template(BOS, BOS_ID, EOS, EOS_ID));
    ObjectNode decoder = TokenizerJsonParts.typed("ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    root.set("decoder", decoder);

    ObjectNode model = TokenizerJsonParts.typed("BPE");
    model.putNull("dropout");
    model.put("unk_token", EOS);
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "</w>");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    ArrayNode m = model.putArray("merges");
    for (String[] merge : merges) {
      m.add(merge[0] + " " + merge[1]);
    }
    root.set("model", model);
    try {
      return TokenizerJsonParts.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise tokenizer.json", e);
    }
  }
}
