package dev.shopsearch.core.catalog;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Implements {@link FieldMapping#load(Path)} (package-private). */
final class FieldMappingLoader {
  private static final List<String> KEYS =
      List.of(
          "preset",
          "id",
          "name",
          "description",
          "categories",
          "categorySeparator",
          "colour",
          "price",
          "inStock",
          "images",
          "imagePattern",
          "attributes",
          "listSeparator",
          "requireImages");

  private FieldMappingLoader() {}

  static FieldMapping load(Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    Map<String, Object> values = new LinkedHashMap<>();
    if (name.endsWith(".json")) {
      JsonNode root;
      try {
        root = JsonMapper.builder().build().readTree(file.toFile());
      } catch (JacksonException e) {
        throw new IllegalArgumentException(
            "mapping file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
      }
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("mapping file " + file + " must hold a JSON object");
      }
      for (Map.Entry<String, JsonNode> e : root.properties()) {
        JsonNode v = e.getValue();
        if (v.isArray()) {
          List<String> list = new ArrayList<>();
          v.forEach(x -> list.add(x.asText()));
          values.put(e.getKey(), list);
        } else {
          values.put(e.getKey(), v.isNull() ? null : v.asText());
        }
      }
    } else if (name.endsWith(".properties")) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      for (String key : p.stringPropertyNames()) {
        values.put(key.strip(), p.getProperty(key));
      }
    } else {
      throw new IllegalArgumentException(
          "mapping file " + file + " must end in .json or .properties");
    }
    return fromMap(values, file.toString());
  }

  static FieldMapping fromMap(Map<String, Object> values, String source) {
    for (String key : values.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT, "mapping %s has unknown key '%s'; known keys: %s", source, key, KEYS));
      }
    }
    String preset = string(values.get("preset"));
    FieldMapping.Builder b;
    if (preset == null) {
      String id = string(values.get("id"));
      if (id == null) {
        throw new IllegalArgumentException("mapping " + source + " needs 'id' (or a 'preset')");
      }
      b = FieldMapping.builder(id);
    } else {
      b =
          FieldMapping.preset(preset)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "mapping " + source + " names unknown preset '" + preset + "'"))
              .toBuilder();
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "id" -> b.id(string(v));
        case "name" -> b.name(string(v));
        case "description" -> b.description(string(v));
        case "categories" -> b.categories(list(v).toArray(String[]::new));
        case "categorySeparator" -> b.categorySeparator(raw(v));
        case "colour" -> b.colour(string(v));
        case "price" -> b.price(string(v));
        case "inStock" -> b.inStock(string(v));
        case "images" -> b.images(list(v).toArray(String[]::new));
        case "imagePattern" -> b.imagePattern(string(v));
        case "attributes" -> b.attributes(list(v));
        case "listSeparator" -> b.listSeparator(raw(v));
        case "requireImages" -> b.requireImages(bool(source, v));
        default -> {
          // "preset" was applied above
        }
      }
    }
    return b.build();
  }

  private static String raw(Object v) {
    return v == null ? null : v.toString();
  }

  private static String string(Object v) {
    return v == null || v.toString().isBlank() ? null : v.toString().strip();
  }

  private static List<String> list(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(Object::toString).toList();
    }
    List<String> out = new ArrayList<>();
    for (String part : v.toString().split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  private static boolean bool(String source, Object v) {
    String s = string(v);
    if ("true".equalsIgnoreCase(s)) {
      return true;
    }
    if ("false".equalsIgnoreCase(s)) {
      return false;
    }
    throw new IllegalArgumentException(
        "mapping " + source + ": requireImages must be true or false; requireImages=" + v);
  }
}
