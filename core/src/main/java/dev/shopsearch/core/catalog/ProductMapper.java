package dev.shopsearch.core.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one parsed record into a {@link Product} or a {@link Reject} through a {@link FieldMapping}
 * (package-private). Duplicate ids are detected with {@link IdSet}: only accepted ids are
 * remembered, so a row that repeats the id of an earlier <em>rejected</em> row is accepted. Not
 * thread-safe.
 */
final class ProductMapper {

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

  private final FieldMapping mapping;
  private final FieldLimits limits;
  private final IdSet seen = new IdSet();

  ProductMapper(FieldMapping mapping, FieldLimits limits) {
    this.mapping = mapping;
    this.limits = limits;
  }

  CatalogEntry map(RawRecord record) {
    if (record.fields() == null) {
      return record.toReject();
    }
    SourceFields f = record.fields();
    String id = null;
    try {
      id = text(f, mapping.id());
      if (id == null) {
        return reject(
            record, null, Reject.Kind.MISSING_ID, "missing id (field '%s')", mapping.id());
      }
      if (id.length() > limits.id()) {
        return tooLong(record, id, mapping.id(), "id", id.length(), limits.id());
      }
      if (seen.contains(id)) {
        return reject(
            record, id, Reject.Kind.DUPLICATE_ID, "duplicate id '%s': an earlier row has it", id);
      }
      Double price = price(text(f, mapping.price()));
      if (price != null && (price.isNaN() || price < 0)) {
        return reject(
            record,
            id,
            Reject.Kind.BAD_PRICE,
            "price '%s' (field '%s') is not a non-negative number",
            text(f, mapping.price()),
            mapping.price());
      }
      Boolean inStock = inStock(text(f, mapping.inStock()));
      if (inStock == null && text(f, mapping.inStock()) != null) {
        return reject(
            record,
            id,
            Reject.Kind.BAD_VALUE,
            "in-stock value '%s' (field '%s') is not one of true/false, yes/no, 1/0, in stock/out"
                + " of stock",
            text(f, mapping.inStock()),
            mapping.inStock());
      }
      List<String> images = images(f);
      List<String> categories = categories(f);
      Map<String, List<String>> attributes = attributes(f);
      Reject tooLong = firstTooLong(record, id, f, categories, attributes);
      if (tooLong != null) {
        return tooLong;
      }
      if (images.isEmpty() && mapping.requireImages()) {
        return reject(
            record,
            id,
            Reject.Kind.NO_IMAGES,
            "no images (fields %s%s)",
            mapping.images(),
            mapping.imagePattern() == null ? "" : ", pattern '" + mapping.imagePattern() + "'");
      }
      Product product =
          new Product(
              id,
              text(f, mapping.name()),
              text(f, mapping.description()),
              categories,
              text(f, mapping.colour()),
              price,
              inStock,
              images,
              attributes,
              record.row());
      seen.add(id);
      return product;
    } catch (SourceFields.BadFieldException e) {
      return new Reject(record.row(), id, Reject.Kind.BAD_VALUE, e.getMessage(), record.raw());
    } catch (NumberFormatException e) {
      return reject(
          record,
          id,
          Reject.Kind.BAD_PRICE,
          "price '%s' (field '%s') is not a number",
          text(f, mapping.price()),
          mapping.price());
    }
  }

  /**
   * The reject for the first value longer than its {@link FieldLimits limit}, checked in the order
   * name, description, colour, categories, attributes, images; {@code null} when all fit.
   */
  private Reject firstTooLong(
      RawRecord record,
      String id,
      SourceFields f,
      List<String> categories,
      Map<String, List<String>> attributes) {
    String[][] scalars = {
      {mapping.name(), "name"}, {mapping.description(), "description"}, {mapping.colour(), "colour"}
    };
    int[] scalarLimits = {limits.name(), limits.description(), limits.colour()};
    for (int i = 0; i < scalars.length; i++) {
      String value = text(f, scalars[i][0]);
      if (value != null && value.length() > scalarLimits[i]) {
        return tooLong(record, id, scalars[i][0], scalars[i][1], value.length(), scalarLimits[i]);
      }
    }
    for (String path : categories) {
      if (path.length() > limits.category()) {
        String field = String.join("+", mapping.categories());
        return tooLong(record, id, field, "category path", path.length(), limits.category());
      }
    }
    for (Map.Entry<String, List<String>> attr : attributes.entrySet()) {
      for (String value : attr.getValue()) {
        if (value.length() > limits.attribute()) {
          return tooLong(
              record, id, attr.getKey(), "attribute value", value.length(), limits.attribute());
        }
      }
    }
    for (String field : mapping.images()) {
      for (String ref : f.list(field, mapping.listSeparator())) {
        if (ref.length() > limits.image()) {
          return tooLong(record, id, field, "image reference", ref.length(), limits.image());
        }
      }
    }
    if (mapping.imagePattern() != null) {
      String ref = expand(mapping.imagePattern(), f);
      if (ref != null && ref.length() > limits.image()) {
        return tooLong(record, id, "imagePattern", "image reference", ref.length(), limits.image());
      }
    }
    return null;
  }

  private static Reject tooLong(
      RawRecord record, String id, String field, String role, int length, int limit) {
    return new Reject(
        record.row(),
        id,
        Reject.Kind.FIELD_TOO_LONG,
        String.format(
            Locale.ROOT,
            "field '%s' (%s) has %d characters, more than the limit of %d",
            field,
            role,
            length,
            limit),
        record.raw(),
        new Reject.Limit(field, length, limit));
  }

  private static String text(SourceFields f, String field) {
    return field == null ? null : f.text(field);
  }

  private static Reject reject(
      RawRecord record, String id, Reject.Kind kind, String format, Object... args) {
    return new Reject(
        record.row(), id, kind, String.format(Locale.ROOT, format, args), record.raw());
  }

  /** Parses a plain decimal; {@code null} when absent. */
  private static Double price(String text) {
    if (text == null) {
      return null;
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw new NumberFormatException(text);
    }
    double v = Double.parseDouble(text);
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /** {@code null} when absent or not recognised (the caller tells the two apart). */
  private static Boolean inStock(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "1", "in stock", "instock", "in_stock", "available" -> true;
      case "false", "no", "n", "0", "out of stock", "outofstock", "out_of_stock", "unavailable" ->
          false;
      default -> null;
    };
  }

  private List<String> categories(SourceFields f) {
    Set<String> paths = new LinkedHashSet<>();
    if (mapping.categories().size() == 1) {
      for (String value : f.list(mapping.categories().get(0), mapping.listSeparator())) {
        String path = CategoryPath.normalise(value, mapping.categorySeparator());
        if (path != null) {
          paths.add(path);
        }
      }
    } else if (!mapping.categories().isEmpty()) {
      List<String> levels = new ArrayList<>();
      for (String field : mapping.categories()) {
        levels.add(text(f, field));
      }
      String path = CategoryPath.join(levels);
      if (path != null) {
        paths.add(path);
      }
    }
    return List.copyOf(paths);
  }

  private List<String> images(SourceFields f) {
    Set<String> refs = new LinkedHashSet<>();
    for (String field : mapping.images()) {
      refs.addAll(f.list(field, mapping.listSeparator()));
    }
    if (refs.isEmpty() && mapping.imagePattern() != null) {
      String ref = expand(mapping.imagePattern(), f);
      if (ref != null) {
        refs.add(ref);
      }
    }
    return List.copyOf(refs);
  }

  /** Fills the pattern's placeholders; {@code null} when one of them has no value. */
  private static String expand(String pattern, SourceFields f) {
    Matcher m = PLACEHOLDER.matcher(pattern);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = text(f, m.group(1));
      if (value == null) {
        return null;
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private Map<String, List<String>> attributes(SourceFields f) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String field : mapping.attributes()) {
      List<String> values = f.list(field, mapping.listSeparator());
      if (!values.isEmpty()) {
        out.put(field, List.copyOf(new LinkedHashSet<>(values)));
      }
    }
    return out;
  }
}
