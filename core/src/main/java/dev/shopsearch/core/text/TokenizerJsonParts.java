package dev.shopsearch.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JSON sections shared by the {@code tokenizer.json} builders: added tokens, BOS/EOS and BERT
 * {@code TemplateProcessing} post-processors, right padding and right truncation.
 */
final class TokenizerJsonParts {
  static final ObjectMapper JSON = new ObjectMapper();

  private TokenizerJsonParts() {}

  static ObjectNode root() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    return root;
  }

  static ObjectNode addedToken(int id, String content, boolean normalized) {
    ObjectNode t = JSON.createObjectNode();
    t.put("id", id);
    t.put("content", content);
    t.put("single_word", false);
    t.put("lstrip", false);
    t.put("rstrip", false);
    t.put("normalized", normalized);
    t.put("special", true);
    return t;
  }

  static ObjectNode truncation(int maxLength) {
    ObjectNode t = JSON.createObjectNode();
    t.put("direction", "Right");
    t.put("max_length", maxLength);
    t.put("strategy", "LongestFirst");
    t.put("stride", 0);
    return t;
  }

  static ObjectNode padding(int padId, String padToken) {
    ObjectNode p = JSON.createObjectNode();
    p.put("strategy", "BatchLongest");
    p.put("direction", "Right");
    p.putNull("pad_to_multiple_of");
    p.put("pad_id", padId);
    p.put("pad_type_id", 0);
    p.put("pad_token", padToken);
    return p;
  }

  /** {@code BOS $A EOS} (pairs: {@code BOS $A $B EOS}). */
  static ObjectNode template(String bos, int bosId, String eos, int eosId) {
    ObjectNode post = JSON.createObjectNode();
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.add(special(bos, 0)).add(sequence("A", 0)).add(special(eos, 0));
    ArrayNode pair = post.putArray("pair");
    pair.add(special(bos, 0)).add(sequence("A", 0)).add(sequence("B", 1)).add(special(eos, 1));
    ObjectNode specials = post.putObject("special_tokens");
    specials.set(bos, specialEntry(bos, bosId));
    specials.set(eos, specialEntry(eos, eosId));
    return post;
  }

  /**
   * BERT's {@code [CLS] $A [SEP]} (pairs: {@code [CLS] $A [SEP] $B [SEP]}, the second segment with
   * type id 1), as transformers' {@code BertConverter} writes it.
   */
  static ObjectNode bertTemplate(String cls, int clsId, String sep, int sepId) {
    ObjectNode post = JSON.createObjectNode();
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.add(special(cls, 0)).add(sequence("A", 0)).add(special(sep, 0));
    ArrayNode pair = post.putArray("pair");
    pair.add(special(cls, 0))
        .add(sequence("A", 0))
        .add(special(sep, 0))
        .add(sequence("B", 1))
        .add(special(sep, 1));
    ObjectNode specials = post.putObject("special_tokens");
    specials.set(cls, specialEntry(cls, clsId));
    specials.set(sep, specialEntry(sep, sepId));
    return post;
  }

  /** {@code $A eos} (pair: {@code $A eos $B eos}), as SentencePiece tokenizers such as SigLIP's. */
  static ObjectNode eosTemplate(String eos, int eosId) {
    ObjectNode post = JSON.createObjectNode();
    post.put("type", "TemplateProcessing");
    post.putArray("single").add(sequence("A", 0)).add(special(eos, 0));
    post.putArray("pair")
        .add(sequence("A", 0))
        .add(special(eos, 0))
        .add(sequence("B", 1))
        .add(special(eos, 1));
    post.putObject("special_tokens").set(eos, specialEntry(eos, eosId));
    return post;
  }

  static ObjectNode regex(String pattern) {
    ObjectNode p = JSON.createObjectNode();
    p.put("Regex", pattern);
    return p;
  }

  static ObjectNode typed(String type) {
    ObjectNode n = JSON.createObjectNode();
    n.put("type", type);
    return n;
  }

  private static ObjectNode special(String id, int typeId) {
    ObjectNode inner = JSON.createObjectNode();
    inner.put("id", id);
    inner.put("type_id", typeId);
    ObjectNode n = JSON.createObjectNode();
    n.set("SpecialToken", inner);
    return n;
  }

  private static ObjectNode sequence(String id, int typeId) {
    ObjectNode inner = JSON.createObjectNode();
    inner.put("id", id);
    inner.put("type_id", typeId);
    ObjectNode n = JSON.createObjectNode();
    n.set("Sequence", inner);
    return n;
  }

  private static ObjectNode specialEntry(String token, int id) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", token);
    n.putArray("ids").add(id);
    n.putArray("tokens").add(token);
    return n;
  }

  /** Writes a tokenizer.json (UTF-8), creating parent directories. */
  static void write(Path out, String json) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, json, StandardCharsets.UTF_8);
  }
}
