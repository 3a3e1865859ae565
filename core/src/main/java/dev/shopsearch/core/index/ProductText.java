package dev.shopsearch.core.index;

import dev.shopsearch.core.catalog.Product;

/**
 * The text of a product that the text tower embeds: its name and description, {@code name + ". " +
 * description}, stripped and cut at {@value #MAX_CHARS} characters (the tokenizer truncates long
 * texts anyway). The same text is indexed as {@link IndexSchema#TEXT_VECTOR} and scored by {@code
 * indexer audit}. Categories, colour and attributes are left out on purpose: they have their own
 * lexical fields and filters, and {@code indexer calibrate}'s attribute-template queries are made
 * from them, so the semantic list is judged on text it was not made from.
 */
public final class ProductText {
  /** Longest text handed to the text tower, in characters. */
  public static final int MAX_CHARS = 2000;

  private ProductText() {}

  /** The text of a catalog product, or {@code ""} when it has neither name nor description. */
  public static String of(Product p) {
    return of(p.name(), p.description());
  }

  /**
   * The text of a name and a description (either may be null).
   *
   * @return the text, or {@code ""} when both are blank
   */
  public static String of(String name, String description) {
    String n = name == null ? "" : name.strip();
    String d = description == null ? "" : description.strip();
    String t = n.isEmpty() ? d : d.isEmpty() ? n : n + ". " + d;
    return t.length() > MAX_CHARS ? t.substring(0, MAX_CHARS) : t;
  }
}
