package dev.shopsearch.trainer.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shopsearch.core.bundle.TextSpec;
import dev.shopsearch.core.text.BundleTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Caption tokenisation for training: exactly the serving tokenisation ({@link BundleTokenizer}:
 * whitespace clean-up, optional lower-casing, special tokens, truncation that keeps the final
 * special token), plus the id that random token masking substitutes ({@code [MASK]}, else {@code
 * <mask>}, {@code [UNK]}, {@code <unk>}, else the padding id). Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {

  private final BundleTokenizer tokenizer;
  private final TextSpec spec;
  private final long maskId;

  private TextTokenizer(BundleTokenizer tokenizer, TextSpec spec, long maskId) {
    this.tokenizer = tokenizer;
    this.spec = spec;
    this.maskId = maskId;
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @throws IOException if the file cannot be read or parsed
   */
  public static TextTokenizer load(Path tokenizerJson, int maxLength, boolean lowercase)
      throws IOException {
    TextSpec spec = new TextSpec(tokenizerJson.getFileName().toString(), maxLength, lowercase);
    JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
    BundleTokenizer t = BundleTokenizer.load(tokenizerJson, spec);
    long mask = t.padId();
    for (String candidate : List.of("[MASK]", "<mask>", "[UNK]", "<unk>")) {
      long id = lookup(root, candidate);
      if (id >= 0) {
        mask = id;
        break;
      }
    }
    return new TextTokenizer(t, spec, mask);
  }

  private static long lookup(JsonNode root, String token) {
    for (JsonNode added : root.path("added_tokens")) {
      if (token.equals(added.path("content").asText())) {
        return added.path("id").asLong();
      }
    }
    JsonNode id = root.path("model").path("vocab").get(token);
    return id != null && id.isNumber() ? id.asLong() : -1;
  }

  /** Token ids of {@code text} with special tokens, at most {@link #maxLength()} long. */
  public long[] encode(String text) {
    return tokenizer.ids(text);
  }

  /** The text settings (tokenizer file name, maximum length, lower-casing). */
  public TextSpec spec() {
    return spec;
  }

  /** Maximum sequence length. */
  public int maxLength() {
    return spec.maxLength();
  }

  /** Padding id. */
  public long padId() {
    return tokenizer.padId();
  }

  /** Id that random token masking substitutes. */
  public long maskId() {
    return maskId;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
