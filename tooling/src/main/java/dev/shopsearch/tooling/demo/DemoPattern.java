package dev.shopsearch.tooling.demo;

import java.util.Locale;

/** The fabric patterns of the synthetic demo catalog, painted inside the product silhouette. */
public enum DemoPattern {
  SOLID("solid", "纯色"),
  STRIPED("striped", "条纹"),
  POLKA_DOT("polka-dot", "波点"),
  CHECKED("checked", "格子"),
  FLORAL("floral", "碎花");

  private final String english;
  private final String chinese;

  DemoPattern(String english, String chinese) {
    this.english = english;
    this.chinese = chinese;
  }

  /** Lower-case English word, e.g. {@code "polka-dot"} (also the catalog's {@code pattern}). */
  public String english() {
    return english;
  }

  /** Chinese pattern word, e.g. {@code "碎花"}. */
  public String chinese() {
    return chinese;
  }

  /** Parses the English word (case-insensitive), naming the accepted values when it is unknown. */
  public static DemoPattern fromEnglish(String word) {
    for (DemoPattern p : values()) {
      if (p.english.equals(word.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown demo pattern '"
            + word
            + "'; expected one of "
            + java.util.Arrays.toString(values()));
  }
}
