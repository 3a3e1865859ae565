package dev.shopsearch.core.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a SigLIP-layout SentencePiece Unigram {@code tokenizer.json}, the layout Hugging Face's
 * converter gives {@code google/siglip-*}: ids {@code <pad>} = 0, {@code </s>} = 1, {@code <unk>} =
 * 2, then the pieces; a normaliser that drops ASCII punctuation and collapses runs of spaces (as
 * {@code SiglipTokenizer.canonicalize_text}); the {@code Metaspace} pre-tokenizer ({@code ▁}
 * prepended to every word); a {@code Unigram} model (Viterbi segmentation by piece log probability,
 * unknown characters fused into one {@code <unk>}); {@code </s>} appended to every sequence;
 * truncation at {@code maxLength} and padding with {@code </s>}, SigLIP's {@code pad_token}.
 * Lower-casing is left to the bundle's {@code TextSpec.lowercase}.
 *
 * <p>Used to build tiny SigLIP tokenizers for tests and fixtures; a real checkpoint ships its own
 * {@code tokenizer.json}, which {@link BundleTokenizer} runs as it is. Stateless and thread-safe.
 */
public final class SiglipTokenizerJson {
  /** Padding id 0. */
  public static final String PAD = "<pad>";

  /** End of sequence, appended to every sequence and SigLIP's pad token: id 1. */
  public static final String EOS = "</s>";

  /** Unknown piece: id 2. */
  public static final String UNK = "<unk>";

  /** Word-boundary marker of SentencePiece. */
  public static final String SPACE = "\u2581";

  /** Number of special tokens before the pieces. */
  public static final int SPECIALS = 3;

  /**
   * One SentencePiece piece.
   *
   * @param piece the piece text; a word start carries {@link #SPACE}
   * @param score its log probability (finite, at most 0)
   */
  public record Piece(String piece, double score) {
    public Piece {
      if (piece == null || piece.isEmpty()) {
        throw new IllegalArgumentException("piece must not be empty");
      }
      if (!(score <= 0) || Double.isInfinite(score)) {
        throw new IllegalArgumentException(
            "piece '" + piece + "' score must be finite and <= 0; score=" + score);
      }
    }
  }

  private SiglipTokenizerJson() {}

  /**
   * The {@code tokenizer.json} text; piece {@code i} gets id {@code SPECIALS + i}.
   *
   * @param pieces the pieces, without the special tokens
   * @param maxLength truncation length including {@code </s>}
   * @throws IllegalArgumentException on a duplicate or special piece, or {@code maxLength < 2}
   */
  public static String build(List<Piece> pieces, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2; maxLength=" + maxLength);
    }
    ObjectNode root = TokenizerJsonParts.root();
    root.set("truncation", TokenizerJsonParts.truncation(maxLength));
    root.set("padding", TokenizerJsonParts.padding(1, EOS));
    ArrayNode added = root.putArray("added_tokens");
    added.add(TokenizerJsonParts.addedToken(0, PAD, false));
    added.add(TokenizerJsonParts.addedToken(1, EOS, false));
    added.add(TokenizerJsonParts.addedToken(2, UNK, false));

    ObjectNode normalizer = TokenizerJsonParts.typed("Sequence");
    ArrayNode steps = normalizer.putArray("normalizers");
    steps.add(replace("[!-/:-@\\[-`{-~]", ""));
    steps.add(replace(" {2,}", " "));
    root.set("normalizer", normalizer);
    root.set("pre_tokenizer", metaspace());
    root.set("post_processor", TokenizerJsonParts.eosTemplate(EOS, 1));
    root.set("decoder", metaspace());

    ObjectNode model = TokenizerJsonParts.typed("Unigram");
    model.put("unk_id", 2);
    ArrayNode vocab = model.putArray("vocab");
    Set<String> seen = new HashSet<>(List.of(PAD, EOS, UNK));
    vocab.addArray().add(PAD).add(0.0);
    vocab.addArray().add(EOS).add(0.0);
    vocab.addArray().add(UNK).add(0.0);
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      if (!seen.add(p.piece())) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "piece %d '%s' is a duplicate or a special token", i, p.piece()));
      }
      vocab.addArray().add(p.piece()).add(p.score());
    }
    model.put("byte_fallback", false);
    root.set("model", model);
    try {
      return TokenizerJsonParts.JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode replace(String regex, String content) {
    ObjectNode r = TokenizerJsonParts.typed("Replace");
    r.set("pattern", TokenizerJsonParts.regex(regex));
    r.put("content", content);
    return r;
  }

  private static ObjectNode metaspace() {
    ObjectNode m = TokenizerJsonParts.typed("Metaspace");
    m.put("replacement", SPACE);
    m.put("prepend_scheme", "always");
    m.put("split", true);
    return m;
  }
}
