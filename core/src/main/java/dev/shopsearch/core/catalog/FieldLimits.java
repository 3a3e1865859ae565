package dev.shopsearch.core.catalog;

import java.util.List;
import java.util.Locale;

/**
 * The longest value {@link CatalogReader} accepts per product field, in characters (UTF-16 code
 * units of the trimmed value). A longer value rejects the row as {@link
 * Reject.Kind#FIELD_TOO_LONG}, with a {@link Reject.Limit} naming the field, its length and the
 * limit, so that one odd row never reaches the index (where a keyword longer than Lucene's term
 * limit would fail the whole document).
 *
 * <p>The id, colour, category paths and attribute values become keyword terms and doc values, so
 * their limits may not pass {@link #MAX_KEYWORD_CHARS}.
 *
 * @param id product id
 * @param name display name
 * @param description long text
 * @param colour colour
 * @param category one category path, levels joined by {@link CategoryPath#SEPARATOR}
 * @param attribute one value of one attribute
 * @param image one image reference (path or URL)
 */
public record FieldLimits(
    int id, int name, int description, int colour, int category, int attribute, int image) {

  /**
   * Largest limit for a field indexed as a keyword: Lucene refuses terms longer than 32,766 UTF-8
   * bytes ({@code IndexWriter.MAX_TERM_LENGTH}), and one UTF-16 code unit takes at most 3 bytes.
   */
  public static final int MAX_KEYWORD_CHARS = 32_766 / 3;

  /** The keys of {@link #with}, in component order. */
  public static final List<String> KEYS =
      List.of("id", "name", "description", "colour", "category", "attribute", "image");

  public FieldLimits {
    keyword("id", id);
    check("name", name, Integer.MAX_VALUE);
    check("description", description, Integer.MAX_VALUE);
    keyword("colour", colour);
    keyword("category", category);
    keyword("attribute", attribute);
    check("image", image, Integer.MAX_VALUE);
  }

  /**
   * id 512, name 2,048, description 65,536, colour 256, category path 1,024, attribute value 1,024,
   * image reference 4,096 characters.
   */
  public static FieldLimits defaults() {
    return new FieldLimits(512, 2_048, 65_536, 256, 1_024, 1_024, 4_096);
  }

  /**
   * A copy with one limit changed.
   *
   * @param key one of {@link #KEYS} ({@code color} is accepted for {@code colour})
   * @throws IllegalArgumentException naming the key and the accepted keys, or the limit broken
   */
  public FieldLimits with(String key, int limit) {
    String k = key == null ? "" : key.strip().toLowerCase(Locale.ROOT);
    return switch (k) {
      case "id" -> new FieldLimits(limit, name, description, colour, category, attribute, image);
      case "name" -> new FieldLimits(id, limit, description, colour, category, attribute, image);
      case "description" -> new FieldLimits(id, name, limit, colour, category, attribute, image);
      case "colour", "color" ->
          new FieldLimits(id, name, description, limit, category, attribute, image);
      case "category" -> new FieldLimits(id, name, description, colour, limit, attribute, image);
      case "attribute" -> new FieldLimits(id, name, description, colour, category, limit, image);
      case "image" -> new FieldLimits(id, name, description, colour, category, attribute, limit);
      default ->
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT, "unknown field limit '%s'; expected one of %s", key, KEYS));
    };
  }

  private static void keyword(String field, int limit) {
    check(field, limit, MAX_KEYWORD_CHARS);
  }

  private static void check(String field, int limit, int max) {
    if (limit < 1 || limit > max) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "the %s limit must be in [1, %d] characters; %s=%d",
              field,
              max,
              field,
              limit));
    }
  }
}
