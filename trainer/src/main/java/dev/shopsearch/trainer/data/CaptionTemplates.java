package dev.shopsearch.trainer.data;

import dev.shopsearch.core.catalog.Product;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captions from catalog fields. A template names fields in braces, e.g. {@code "{gender} {colour}
 * {name}"}. Fields: {@code id}, {@code name}, {@code description}, {@code colour} (also {@code
 * color}), {@code category} (last path segment of the first category), {@code categories} (all
 * paths), and any attribute key (values joined with spaces). Missing fields render empty; runs of
 * whitespace collapse; a template that renders blank is dropped. Immutable, thread-safe.
 */
public final class CaptionTemplates {

  /** The default templates. */
  public static final List<String> DEFAULTS =
      List.of("{gender} {colour} {name}", "{name}", "{colour} {pattern} {category}");

  private static final Pattern FIELD = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
  private static final int MAX_CHARS = 1000;

  private final List<String> templates;

  public CaptionTemplates(List<String> templates) {
    if (templates == null || templates.isEmpty()) {
      throw new IllegalArgumentException("at least one caption template is required");
    }
    for (String t : templates) {
      if (t == null || !FIELD.matcher(t).find()) {
        throw new IllegalArgumentException(
            "caption template must name at least one {field}: '" + t + "'");
      }
    }
    this.templates = List.copyOf(templates);
  }

  /** The templates. */
  public List<String> templates() {
    return templates;
  }

  /** Renders every template for {@code p}; blank results are left out (the list may be empty). */
  public List<String> render(Product p) {
    List<String> out = new ArrayList<>();
    for (String t : templates) {
      String s = render(t, p);
      if (!s.isBlank() && !out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  static String render(String template, Product p) {
    Matcher m = FIELD.matcher(template);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(field(p, m.group(1))));
    }
    m.appendTail(sb);
    String s = sb.toString().replaceAll("\\s+", " ").strip();
    return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
  }

  private static String field(Product p, String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return switch (k) {
      case "id" -> p.id();
      case "name" -> p.name();
      case "description" -> p.description();
      case "colour", "color" -> {
        if (p.colour() != null) {
          yield p.colour();
        }
        yield attr(p, k);
      }
      case "category" -> {
        if (p.categories().isEmpty()) {
          yield attr(p, k);
        }
        String c = p.categories().get(0);
        int slash = c.lastIndexOf('/');
        yield slash >= 0 ? c.substring(slash + 1).strip() : c.strip();
      }
      case "categories" -> String.join(" ", p.categories());
      default -> attr(p, key);
    };
  }

  private static String attr(Product p, String key) {
    List<String> v = p.attributes().get(key);
    if (v == null) {
      for (var e : p.attributes().entrySet()) {
        if (e.getKey().equalsIgnoreCase(key)) {
          v = e.getValue();
          break;
        }
      }
    }
    return v == null ? "" : String.join(" ", v);
  }
}
