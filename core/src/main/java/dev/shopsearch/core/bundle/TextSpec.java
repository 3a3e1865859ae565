package dev.shopsearch.core.bundle;

/**
 * Text-side settings of a bundle.
 *
 * @param tokenizer tokenizer file relative to the bundle directory (Hugging Face {@code
 *     tokenizer.json})
 * @param maxLength maximum sequence length including special tokens (CLIP: 77); longer inputs are
 *     truncated keeping the end-of-text token
 * @param lowercase whether queries are lower-cased before tokenisation (CLIP's BPE expects it)
 */
public record TextSpec(String tokenizer, int maxLength, boolean lowercase) {
  public TextSpec {
    if (tokenizer == null || tokenizer.isBlank()) {
      tokenizer = "tokenizer.json";
    }
    if (maxLength < 2 || maxLength > 8192) {
      throw new IllegalArgumentException(
          "text maxLength must be in [2, 8192]; maxLength=" + maxLength);
    }
  }
}
