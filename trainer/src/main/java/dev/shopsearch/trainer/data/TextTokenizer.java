package dev.shopsearch.trainer.data;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Tokenises captions for training with a bundle's Hugging Face {@code tokenizer.json} (through
 * DJL's tokenizers binding, the same file the serving encoders use): special tokens added,
 * truncated to {@code maxLength}, optionally lower-cased. Also knows the padding id and the id that
 * random token masking substitutes ({@code [MASK]}, else {@code [UNK]}/{@code <unk>}, else the
 * padding id). Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {

  private final HuggingFaceTokenizer tokenizer;
  private final boolean lowercase;
  private final int maxLength;
  private final long padId;
  private final long maskId;

  private TextTokenizer(
      HuggingFaceTokenizer tokenizer, boolean lowercase, int maxLength, long padId, long maskId) {
    this.tokenizer = tokenizer;
    this.lowercase = lowercase;
    this.maxLength = maxLength;
    this.padId = padId;
    this.maskId = maskId;
  }

  /**
   * Loads {@code tokenizer.json}.
   *
   * @throws IOException if the file cannot be read or parsed
   */
  public static TextTokenizer load(Path tokenizerJson, int maxLength, boolean lowercase)
      throws IOException {
    if (maxLength < 2 || maxLength > 8192) {
      throw new IllegalArgumentException("maxLength must be in [2, 8192]; was " + maxLength);
    }
    JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
    long pad = root.path("padding").path("pad_id").asLong(0);
    long mask = pad;
    for (String candidate : List.of("[MASK]", "<mask>", "[UNK]", "<unk>")) {
      long id = lookup(root, candidate);
      if (id >= 0) {
        mask = id;
        break;
      }
    }
    HuggingFaceTokenizer t =
        HuggingFaceTokenizer.builder()
            .optTokenizerPath(tokenizerJson)
            .optAddSpecialTokens(true)
            .optTruncation(true)
            .optPadding(false)
            .optMaxLength(maxLength)
            .build();
    return new TextTokenizer(t, lowercase, maxLength, pad, mask);
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
    String t = lowercase ? text.toLowerCase(Locale.ROOT) : text;
    long[] ids = tokenizer.encode(t).getIds();
    if (ids.length == 0) {
      throw new IllegalArgumentException("text tokenises to nothing: '" + text + "'");
    }
    return ids.length > maxLength ? java.util.Arrays.copyOf(ids, maxLength) : ids;
  }

  /** Maximum sequence length. */
  public int maxLength() {
    return maxLength;
  }

  /** Padding id. */
  public long padId() {
    return padId;
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
