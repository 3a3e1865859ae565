package dev.shopsearch.tooling.demo;

/**
 * One colour × pattern × category combination, and the words that describe it.
 *
 * @param category product type
 * @param colour product colour
 * @param pattern fabric pattern
 */
public record AttributeCombo(DemoCategory category, DemoColour colour, DemoPattern pattern) {

  /** Number of distinct combinations. */
  public static final int COUNT =
      DemoCategory.values().length * DemoColour.values().length * DemoPattern.values().length;

  public AttributeCombo {
    if (category == null || colour == null || pattern == null) {
      throw new IllegalArgumentException(
          "combo needs a category, colour and pattern; got "
              + category
              + ", "
              + colour
              + ", "
              + pattern);
    }
  }

  /** English caption, lower case: colour, pattern, category, e.g. {@code "red floral dress"}. */
  public String captionEn() {
    return colour.english() + " " + pattern.english() + " " + category.english();
  }

  /** Chinese caption: colour, pattern, category words, e.g. {@code "红色碎花连衣裙"}. */
  public String captionZh() {
    return colour.chinese() + pattern.chinese() + category.chinese();
  }

  /** Product name in title case, e.g. {@code "Red Floral Dress"}, {@code "Navy Polka-Dot Cap"}. */
  public String name() {
    return titleCase(colour.english())
        + " "
        + titleCase(pattern.english())
        + " "
        + category.title();
  }

  /** A stable key, e.g. {@code "dress/red/floral"}. */
  public String key() {
    return category.english() + "/" + colour.english() + "/" + pattern.english();
  }

  private static String titleCase(String words) {
    StringBuilder out = new StringBuilder(words.length());
    boolean start = true;
    for (char ch : words.toCharArray()) {
      out.append(start ? Character.toUpperCase(ch) : ch);
      start = ch == ' ' || ch == '-';
    }
    return out.toString();
  }
}
