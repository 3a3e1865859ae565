package dev.shopsearch.core.text;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Writes a small Hugging Face {@code tokenizer.json}: a WordLevel model over whitespace-split
 * words, with CLIP-like start/end-of-text tokens added by a TemplateProcessing post-processor. Ids:
 * {@code <pad>}=0, {@code <bos>}=1, {@code <eos>}=2, {@code <unk>}=3, then the words from 4 in the
 * order given.
 */
public final class TestTokenizerJson {
  public static final long PAD = 0;
  public static final long BOS = 1;
  public static final long EOS = 2;
  public static final long UNK = 3;
  public static final int FIRST_WORD = 4;

  private TestTokenizerJson() {}

  /** The JSON text; {@code padId >= 0} adds a {@code padding} section with that id. */
  public static String wordLevel(List<String> words, long padId) {
    StringJoiner vocab = new StringJoiner(",", "{", "}");
    vocab.add("\"<pad>\":0").add("\"<bos>\":1").add("\"<eos>\":2").add("\"<unk>\":3");
    for (int i = 0; i < words.size(); i++) {
      vocab.add(String.format(Locale.ROOT, "\"%s\":%d", words.get(i), FIRST_WORD + i));
    }
    String padding =
        padId < 0
            ? "null"
            : String.format(
                Locale.ROOT,
                "{\"strategy\":\"BatchLongest\",\"direction\":\"Right\",\"pad_to_multiple_of\":null,"
                    + "\"pad_id\":%d,\"pad_type_id\":0,\"pad_token\":\"<pad>\"}",
                padId);
    return """
        {
          "version": "1.0",
          "truncation": null,
          "padding": %s,
          "added_tokens": [
            %s, %s, %s, %s
          ],
          "normalizer": null,
          "pre_tokenizer": {"type": "Whitespace"},
          "post_processor": {
            "type": "TemplateProcessing",
            "single": [
              {"SpecialToken": {"id": "<bos>", "type_id": 0}},
              {"Sequence": {"id": "A", "type_id": 0}},
              {"SpecialToken": {"id": "<eos>", "type_id": 0}}
            ],
            "pair": [
              {"SpecialToken": {"id": "<bos>", "type_id": 0}},
              {"Sequence": {"id": "A", "type_id": 0}},
              {"Sequence": {"id": "B", "type_id": 1}},
              {"SpecialToken": {"id": "<eos>", "type_id": 1}}
            ],
            "special_tokens": {
              "<bos>": {"id": "<bos>", "ids": [1], "tokens": ["<bos>"]},
              "<eos>": {"id": "<eos>", "ids": [2], "tokens": ["<eos>"]}
            }
          },
          "decoder": null,
          "model": {"type": "WordLevel", "vocab": %s, "unk_token": "<unk>"}
        }
        """
        .formatted(
            padding,
            added(0, "<pad>"),
            added(1, "<bos>"),
            added(2, "<eos>"),
            added(3, "<unk>"),
            vocab);
  }

  private static String added(int id, String content) {
    return String.format(
        Locale.ROOT,
        "{\"id\":%d,\"content\":\"%s\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
            + "\"normalized\":false,\"special\":true}",
        id,
        content);
  }
}
