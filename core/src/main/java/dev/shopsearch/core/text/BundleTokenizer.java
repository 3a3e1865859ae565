package dev.shopsearch.core.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.BundleException;
import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.bundle.TextSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runtime tokenisation for a bundle's text tower: a Hugging Face {@code tokenizer.json} run by
 * DJL's native tokenizers (offline; nothing is downloaded).
 *
 * <ul>
 *   <li>Input text is stripped and runs of whitespace collapse to one space (CLIP's {@code
 *       whitespace_clean}); it is lower-cased ({@link Locale#ROOT}) when {@link
 *       TextSpec#lowercase()} says so.
 *   <li>Special tokens are added by the tokenizer's post-processor (CLIP: start/end of text).
 *   <li>Sequences longer than {@link TextSpec#maxLength()} are truncated keeping the final special
 *       token: the last real token stays the end-of-text token, so EOT pooling still finds it.
 *   <li>A batch is right-padded to its longest member only, with the pad id of the tokenizer's
 *       {@code padding} section (0 when it has none).
 * </ul>
 *
 * <p>Thread-safe: the native tokenizer is immutable after loading and may be used concurrently.
 */
public final class BundleTokenizer implements AutoCloseable {
  /** Longest text accepted, in characters (a query or a product text, never a document). */
  public static final int MAX_CHARS = 100_000;

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private final HuggingFaceTokenizer tokenizer;
  private final TextSpec spec;
  private final long padId;
  private final Path file;

  private BundleTokenizer(HuggingFaceTokenizer tokenizer, TextSpec spec, long padId, Path file) {
    this.tokenizer = tokenizer;
    this.spec = spec;
    this.padId = padId;
    this.file = file;
  }

  /**
   * Loads the tokenizer a bundle's {@code textSpec} names.
   *
   * @throws BundleException if the manifest has no {@code textSpec} or the file cannot be loaded
   */
  public static BundleTokenizer load(ModelBundle bundle) {
    TextSpec spec = bundle.manifest().textSpec();
    if (spec == null) {
      throw new BundleException(
          bundle.dir().resolve(ModelBundle.MANIFEST_FILE) + ": field 'textSpec' is missing");
    }
    return load(bundle.resolve(spec.tokenizer()), spec);
  }

  /**
   * Loads a {@code tokenizer.json} with the given settings.
   *
   * @throws BundleException naming the file if it is missing or not a valid tokenizer
   */
  public static BundleTokenizer load(Path tokenizerJson, TextSpec spec) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new BundleException("tokenizer file does not exist: " + tokenizerJson);
    }
    long padId = readPadId(tokenizerJson);
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "false",
            "padding", "false",
            "withOverflowingTokens", "false");
    try {
      return new BundleTokenizer(
          HuggingFaceTokenizer.newInstance(tokenizerJson, options), spec, padId, tokenizerJson);
    } catch (IOException | RuntimeException e) {
      throw new BundleException(
          "cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
    }
  }

  /** Maximum sequence length including special tokens. */
  public int maxLength() {
    return spec.maxLength();
  }

  /** Id used for padded positions. */
  public long padId() {
    return padId;
  }

  /**
   * Tokenises one text without padding (its real tokens, truncated to {@link #maxLength()}).
   *
   * @throws IllegalArgumentException if the text is null, blank or longer than {@link #MAX_CHARS}
   */
  public long[] ids(String text) {
    return encode(List.of(text)).row(0);
  }

  /**
   * Tokenises a batch, right-padded to its longest member.
   *
   * @throws IllegalArgumentException if the list is empty or holds a null, blank or over-long text,
   *     naming its index
   */
  public TokenBatch encode(List<String> texts) {
    if (texts == null || texts.isEmpty()) {
      throw new IllegalArgumentException("texts must not be empty");
    }
    long[][] rows = new long[texts.size()][];
    int longest = 0;
    for (int i = 0; i < rows.length; i++) {
      rows[i] = tokenize(texts.get(i), i);
      longest = Math.max(longest, rows[i].length);
    }
    long[] ids = new long[rows.length * longest];
    long[] mask = new long[rows.length * longest];
    for (int i = 0; i < rows.length; i++) {
      int base = i * longest;
      System.arraycopy(rows[i], 0, ids, base, rows[i].length);
      for (int t = 0; t < longest; t++) {
        if (t < rows[i].length) {
          mask[base + t] = 1;
        } else {
          ids[base + t] = padId;
        }
      }
    }
    return new TokenBatch(ids, mask, rows.length, longest);
  }

  private long[] tokenize(String text, int index) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "text " + index + " is " + (text == null ? "null" : "blank"));
    }
    if (text.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "text %d has %d characters; the limit is %d",
              index,
              text.length(),
              MAX_CHARS));
    }
    String clean = WHITESPACE.matcher(text.strip()).replaceAll(" ");
    if (spec.lowercase()) {
      clean = clean.toLowerCase(Locale.ROOT);
    }
    Encoding encoding = tokenizer.encode(clean, true, false);
    long[] ids = encoding.getIds();
    if (ids.length == 0) {
      throw new IllegalArgumentException(
          "text " + index + " produced no tokens with tokenizer " + file);
    }
    int max = spec.maxLength();
    if (ids.length <= max) {
      return ids;
    }
    long[] special = encoding.getSpecialTokenMask();
    long[] truncated = Arrays.copyOf(ids, max);
    if (special.length == ids.length && special[ids.length - 1] == 1) {
      truncated[max - 1] = ids[ids.length - 1];
    }
    return truncated;
  }

  private static long readPadId(Path tokenizerJson) {
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      JsonNode padding = new ObjectMapper().readTree(in).path("padding");
      return padding.path("pad_id").asLong(0);
    } catch (IOException e) {
      throw new BundleException(
          "tokenizer " + tokenizerJson + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
