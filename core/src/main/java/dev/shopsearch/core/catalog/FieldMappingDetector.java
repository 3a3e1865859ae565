package dev.shopsearch.core.catalog;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Implements {@link FieldMapping#detect(Path)} (package-private). */
final class FieldMappingDetector {
  /** JSON lines sampled for their keys. */
  static final int SAMPLE_LINES = 20;

  private FieldMappingDetector() {}

  static FieldMapping detect(Path catalog) throws IOException {
    CatalogFormat format = CatalogFormat.fromFileName(catalog);
    Set<String> names = fieldNames(catalog, format);
    FieldMapping myntra = FieldMapping.myntra();
    if (names.containsAll(myntra.referencedFields())) {
      return myntra;
    }
    FieldMapping luma = FieldMapping.magentoLuma();
    if (names.containsAll(luma.referencedFields())) {
      return luma;
    }
    return guess(names, format, catalog);
  }

  private static Set<String> fieldNames(Path catalog, CatalogFormat format) throws IOException {
    try (Reader reader =
        new InputStreamReader(Files.newInputStream(catalog), StandardCharsets.UTF_8)) {
      if (format != CatalogFormat.JSONL) {
        return new LinkedHashSet<>(
            new CsvRecordSource(reader, format.delimiter(), CatalogReader.DEFAULT_MAX_RECORD_CHARS)
                .header());
      }
      Set<String> names = new LinkedHashSet<>();
      JsonlRecordSource source =
          new JsonlRecordSource(reader, CatalogReader.DEFAULT_MAX_RECORD_CHARS);
      RawRecord record;
      for (int i = 0; i < SAMPLE_LINES && (record = source.next()) != null; i++) {
        if (record.fields() != null) {
          names.addAll(record.fields().names());
        }
      }
      return names;
    }
  }

  /** Candidate source names per target, most likely first; compared case-insensitively. */
  private static final Map<String, List<String>> SYNONYMS = new LinkedHashMap<>();

  static {
    SYNONYMS.put("id", List.of("id", "product_id", "productid", "item_id", "sku", "uuid"));
    SYNONYMS.put("name", List.of("name", "title", "productdisplayname", "product_name"));
    SYNONYMS.put("description", List.of("description", "desc", "long_description", "body"));
    SYNONYMS.put(
        "categories", List.of("categories", "category", "category_path", "categorypath", "path"));
    SYNONYMS.put("colour", List.of("colour", "color", "basecolour", "base_colour", "basecolor"));
    SYNONYMS.put("price", List.of("price", "sale_price", "amount"));
    SYNONYMS.put(
        "inStock", List.of("in_stock", "instock", "available", "availability", "stock_status"));
    SYNONYMS.put(
        "images",
        List.of(
            "images",
            "image",
            "image_urls",
            "imageurls",
            "image_url",
            "imageurl",
            "image_path",
            "imagepath",
            "image_paths"));
  }

  private static FieldMapping guess(Set<String> names, CatalogFormat format, Path catalog) {
    Map<String, String> byLower = new LinkedHashMap<>();
    for (String n : names) {
      byLower.putIfAbsent(n.toLowerCase(Locale.ROOT), n);
    }
    Map<String, String> chosen = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    for (Map.Entry<String, List<String>> target : SYNONYMS.entrySet()) {
      for (String candidate : target.getValue()) {
        String actual = byLower.get(candidate);
        if (actual != null && !used.contains(actual)) {
          chosen.put(target.getKey(), actual);
          used.add(actual);
          break;
        }
      }
    }
    if (!chosen.containsKey("id")) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "cannot detect a field mapping for %s: no id field (one of %s) among %s; write a"
                  + " mapping file",
              catalog.getFileName(),
              SYNONYMS.get("id"),
              names));
    }
    List<String> attributes = new ArrayList<>();
    for (String n : names) {
      if (!used.contains(n)) {
        attributes.add(n);
      }
    }
    FieldMapping.Builder b =
        FieldMapping.builder(chosen.get("id"))
            .name(chosen.get("name"))
            .description(chosen.get("description"))
            .colour(chosen.get("colour"))
            .price(chosen.get("price"))
            .inStock(chosen.get("inStock"))
            .attributes(attributes)
            .listSeparator(format == CatalogFormat.JSONL ? null : "|");
    if (chosen.containsKey("categories")) {
      b.categories(chosen.get("categories"));
    }
    if (chosen.containsKey("images")) {
      b.images(chosen.get("images"));
    } else {
      b.requireImages(false);
    }
    return b.build();
  }
}
