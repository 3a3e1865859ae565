package dev.shopsearch.core.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Category paths as {@link Product#categories()} holds them: levels joined by {@value #SEPARATOR},
 * e.g. {@code "Men / Tops / Hoodies & Sweatshirts"}. Shared by the reader (which normalises source
 * paths) and the indexer (which indexes every prefix as a filter keyword).
 */
public final class CategoryPath {
  /** The separator between levels in a normalised path. */
  public static final String SEPARATOR = " / ";

  private CategoryPath() {}

  /**
   * Joins levels into a normalised path: levels are trimmed and blank ones dropped.
   *
   * @return the path, or {@code null} when every level is blank
   */
  public static String join(List<String> levels) {
    List<String> kept = new ArrayList<>();
    for (String level : levels) {
      if (level != null && !level.isBlank()) {
        kept.add(level.strip());
      }
    }
    return kept.isEmpty() ? null : String.join(SEPARATOR, kept);
  }

  /**
   * Normalises a source path whose levels are separated by {@code sourceSeparator} (e.g. {@code
   * "Men>Tops"} with {@code ">"} becomes {@code "Men / Tops"}).
   *
   * @return the path, or {@code null} when it has no non-blank level
   */
  public static String normalise(String path, String sourceSeparator) {
    if (path == null) {
      return null;
    }
    List<String> levels = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = path.indexOf(sourceSeparator, from);
      levels.add(path.substring(from, at < 0 ? path.length() : at));
      if (at < 0) {
        break;
      }
      from = at + sourceSeparator.length();
    }
    return join(levels);
  }

  /** The levels of a normalised path, e.g. {@code [Men, Tops, Hoodies & Sweatshirts]}. */
  public static List<String> levels(String path) {
    List<String> out = new ArrayList<>();
    for (String level : path.split(" / ", -1)) {
      if (!level.isBlank()) {
        out.add(level.strip());
      }
    }
    return out;
  }

  /**
   * Filter keywords for a normalised path: every prefix, lower-cased ({@link Locale#ROOT}), levels
   * joined by {@code /}, e.g. {@code [men, men/tops, men/tops/hoodies & sweatshirts]}.
   */
  public static List<String> prefixes(String path) {
    List<String> out = new ArrayList<>();
    StringBuilder prefix = new StringBuilder();
    for (String level : levels(path)) {
      if (!prefix.isEmpty()) {
        prefix.append('/');
      }
      prefix.append(level.toLowerCase(Locale.ROOT));
      out.add(prefix.toString());
    }
    return out;
  }
}
