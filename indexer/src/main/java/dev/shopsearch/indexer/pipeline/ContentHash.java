package dev.shopsearch.indexer.pipeline;

import dev.shopsearch.core.catalog.Product;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 hashes for incremental updates: of image bytes, and of a product (every indexed field,
 * not its row number, plus the hashes of its image bytes).
 */
public final class ContentHash {
  private ContentHash() {}

  /** Hex SHA-256 of some bytes. */
  public static String ofBytes(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /**
   * The embedding-cache key of a product text: hex SHA-256 of a domain prefix and the text's UTF-8
   * bytes (the prefix keeps it apart from the hash of any image's bytes).
   */
  public static String ofText(String text) {
    MessageDigest md = sha256();
    md.update("shopsearch-text\u0000".getBytes(StandardCharsets.UTF_8));
    md.update(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Hex SHA-256 of a product's indexed content.
   *
   * @param imageHashes hash of each image's bytes in catalog order ({@code null} where the image
   *     could not be fetched)
   */
  public static String ofProduct(Product p, List<String> imageHashes) {
    MessageDigest md = sha256();
    field(md, p.id());
    field(md, p.name());
    field(md, p.description());
    field(md, String.join("\u001f", p.categories()));
    field(md, p.colour());
    field(md, p.price() == null ? null : Double.toString(p.price()));
    field(md, p.inStock() == null ? null : p.inStock().toString());
    field(md, String.join("\u001f", p.images()));
    for (Map.Entry<String, List<String>> e : new TreeMap<>(p.attributes()).entrySet()) {
      field(md, e.getKey() + "=" + String.join("\u001f", e.getValue()));
    }
    for (String h : imageHashes) {
      field(md, h);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void field(MessageDigest md, String value) {
    if (value == null) {
      md.update((byte) 0);
    } else {
      md.update((byte) 1);
      md.update(value.getBytes(StandardCharsets.UTF_8));
    }
    md.update((byte) 0x1e);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
