package dev.shopsearch.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * One catalog product, as read by {@link CatalogReader} from JSONL or CSV through a {@link
 * FieldMapping}; the accepted kind of {@link CatalogEntry}.
 *
 * @param id unique product id (never blank)
 * @param name display name (may be empty, never null)
 * @param description long text (may be empty, never null)
 * @param categories category paths, e.g. {@code "Men / Tops / Hoodies & Sweatshirts"}
 * @param colour colour as written in the catalog (may be null)
 * @param price price, or null when the catalog has none
 * @param inStock stock flag, or null when unknown
 * @param images image references exactly as written: paths relative to the catalog file or http(s)
 *     URLs (resolved and checked by {@code ImageSource})
 * @param attributes any other mapped fields, as filterable keywords (e.g. gender, pattern, sizes)
 * @param row 1-based row (line) number in the catalog file, for reject reports
 */
public record Product(
    String id,
    String name,
    String description,
    List<String> categories,
    String colour,
    Double price,
    Boolean inStock,
    List<String> images,
    Map<String, List<String>> attributes,
    long row)
    implements CatalogEntry {

  public Product {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("product id must not be blank (row " + row + ")");
    }
    name = name == null ? "" : name;
    description = description == null ? "" : description;
    categories = categories == null ? List.of() : List.copyOf(categories);
    images = images == null ? List.of() : List.copyOf(images);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
  }
}
