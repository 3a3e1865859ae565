package dev.shopsearch.core.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which source fields (CSV columns or JSON keys) feed which {@link Product} fields.
 *
 * <p>Every field name refers to a CSV header column or a JSON key (in JSONL a dotted path such as
 * {@code price.amount} reaches into nested objects). Values are trimmed; blank values and JSON
 * nulls count as absent. Presets: {@link #magentoLuma()}, {@link #myntra()}; {@link #detect(Path)}
 * picks one by the file's header/keys (or guesses from common names); {@link #load(Path)} reads a
 * JSON or properties mapping file with the component names below as keys.
 *
 * @param id required: the unique product id field
 * @param name display name field, or {@code null}
 * @param description long text field, or {@code null}
 * @param categories category fields. With one field, each of its values (a JSON list, or a string
 *     split on {@link #listSeparator}) is one category path whose levels are separated by {@link
 *     #categorySeparator}. With several fields, their values are the levels of a single path (e.g.
 *     gender / masterCategory / subCategory). Either way paths come out normalised as {@code "A / B
 *     / C"} (see {@link CategoryPath}).
 * @param categorySeparator separator between levels inside a source category string; default {@code
 *     "/"}
 * @param colour colour field, or {@code null}
 * @param price price field (number, or a plain decimal string), or {@code null}
 * @param inStock stock flag field ({@code true/false, yes/no, 1/0, in stock/out of stock}), or
 *     {@code null}
 * @param images image fields, each holding one reference or a list (split on {@link #listSeparator}
 *     when a string)
 * @param imagePattern used when the image fields give nothing: a template such as {@code
 *     images/{id}.jpg} whose {@code {field}} placeholders are replaced by that field's value;
 *     {@code null} for none
 * @param attributes fields kept as filterable attributes, under their source name; list values stay
 *     lists
 * @param listSeparator separator that splits a string value of a list-like field (images,
 *     attributes, a single category field) into several values, e.g. {@code "|"}; {@code null}
 *     keeps strings whole. JSON arrays are always lists.
 * @param requireImages when {@code true} (the presets' choice) a row without any image reference is
 *     rejected with reason {@link Reject.Kind#NO_IMAGES}: it cannot be searched by image. When
 *     {@code false} it is accepted with an empty image list.
 */
public record FieldMapping(
    String id,
    String name,
    String description,
    List<String> categories,
    String categorySeparator,
    String colour,
    String price,
    String inStock,
    List<String> images,
    String imagePattern,
    List<String> attributes,
    String listSeparator,
    boolean requireImages) {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

  public FieldMapping {
    id = field(id);
    if (id == null) {
      throw new IllegalArgumentException("field mapping needs a non-blank id field");
    }
    name = field(name);
    description = field(description);
    colour = field(colour);
    price = field(price);
    inStock = field(inStock);
    categories = fields("categories", categories);
    images = fields("images", images);
    attributes = fields("attributes", attributes);
    categorySeparator =
        categorySeparator == null || categorySeparator.isBlank() ? "/" : categorySeparator.strip();
    listSeparator = listSeparator == null || listSeparator.isEmpty() ? null : listSeparator;
    imagePattern = imagePattern == null || imagePattern.isBlank() ? null : imagePattern.strip();
    if (imagePattern != null) {
      String rest = PLACEHOLDER.matcher(imagePattern).replaceAll("");
      if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
        throw new IllegalArgumentException(
            "imagePattern has an unbalanced '{' or '}'; imagePattern=" + imagePattern);
      }
    }
    if (requireImages && images.isEmpty() && imagePattern == null) {
      throw new IllegalArgumentException(
          "requireImages is set but neither images nor imagePattern is mapped: every row would be"
              + " rejected");
    }
  }

  /** The preset for {@code ../shared/datasets/magento-luma/catalog.jsonl}. */
  public static FieldMapping magentoLuma() {
    return builder("id")
        .name("name")
        .description("description")
        .categories("categories")
        .colour("color")
        .price("price")
        .images("images")
        .attributes("sku", "sizes")
        .build();
  }

  /**
   * The preset for {@code ../shared/datasets/fashion-myntra/catalog.csv}: categories = gender /
   * masterCategory / subCategory, colour = baseColour, name = productDisplayName, image = the
   * {@code image} column or else {@code images/{id}.jpg}; attributes gender, season, usage.
   */
  public static FieldMapping myntra() {
    return builder("id")
        .name("productDisplayName")
        .categories("gender", "masterCategory", "subCategory")
        .colour("baseColour")
        .images("image")
        .imagePattern("images/{id}.jpg")
        .attributes("gender", "season", "usage")
        .build();
  }

  /**
   * Chooses a mapping for a catalog file by its CSV header or the keys of its first JSON lines: a
   * preset when they match, else a guess from common field names (id/sku, name/title, ...; other
   * fields become attributes).
   *
   * @throws IllegalArgumentException when no id-like field is found (the message lists the fields)
   */
  public static FieldMapping detect(Path catalog) throws IOException {
    return FieldMappingDetector.detect(catalog);
  }

  /**
   * A built-in preset by name, case-insensitive: {@code magentoLuma} ({@code magento-luma}, {@code
   * magento}, {@code luma}) or {@code myntra} ({@code fashion-myntra}); empty for any other name.
   */
  public static java.util.Optional<FieldMapping> preset(String name) {
    return switch (name == null ? "" : name.toLowerCase(java.util.Locale.ROOT)) {
      case "magentoluma", "magento-luma", "magento", "luma" -> java.util.Optional.of(magentoLuma());
      case "myntra", "fashion-myntra" -> java.util.Optional.of(myntra());
      default -> java.util.Optional.empty();
    };
  }

  /**
   * The mapping a command line names with {@code spec}: {@code auto} (or null) detects it from
   * {@code catalog}, a {@linkplain #preset preset} name, or a mapping file to {@linkplain #load
   * load}.
   *
   * @throws IllegalArgumentException if {@code spec} is none of these, naming it
   */
  public static FieldMapping resolve(String spec, Path catalog) throws IOException {
    if (spec == null || spec.equalsIgnoreCase("auto")) {
      return detect(catalog);
    }
    java.util.Optional<FieldMapping> preset = preset(spec);
    if (preset.isPresent()) {
      return preset.get();
    }
    Path file = Path.of(spec);
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "mapping '"
              + spec
              + "' is neither auto, a preset (magentoLuma, myntra) nor an existing mapping file");
    }
    return load(file);
  }

  /**
   * Reads a mapping file: {@code .json} (an object) or {@code .properties}; keys are this record's
   * component names, list values are JSON arrays or comma-separated strings. An optional {@code
   * preset} key ({@code magentoLuma} or {@code myntra}) supplies defaults that the other keys
   * override.
   *
   * @throws IllegalArgumentException for an unknown key or an invalid value, naming it
   */
  public static FieldMapping load(Path mappingFile) throws IOException {
    return FieldMappingLoader.load(mappingFile);
  }

  /** A builder starting from this mapping's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a mapping whose id field is {@code idField}; images are required by default. */
  public static Builder builder(String idField) {
    return new Builder(idField);
  }

  /** The placeholder field names used by {@link #imagePattern()} (empty when there is none). */
  public List<String> imagePatternFields() {
    List<String> out = new ArrayList<>();
    if (imagePattern != null) {
      Matcher m = PLACEHOLDER.matcher(imagePattern);
      while (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** Every source field this mapping reads (for checking against a CSV header). */
  public List<String> referencedFields() {
    List<String> out = new ArrayList<>();
    out.add(id);
    for (String f : new String[] {name, description, colour, price, inStock}) {
      if (f != null) {
        out.add(f);
      }
    }
    out.addAll(categories);
    out.addAll(images);
    out.addAll(attributes);
    return out.stream().distinct().toList();
  }

  private static String field(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    return value.strip();
  }

  private static List<String> fields(String component, List<String> values) {
    if (values == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(
            component + " must not contain a blank field name; " + component + "=" + values);
      }
      if (!out.contains(v.strip())) {
        out.add(v.strip());
      }
    }
    return List.copyOf(out);
  }

  /** Fluent builder; {@link #build()} validates. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String name;
    private String description;
    private List<String> categories = List.of();
    private String categorySeparator = "/";
    private String colour;
    private String price;
    private String inStock;
    private List<String> images = List.of();
    private String imagePattern;
    private List<String> attributes = List.of();
    private String listSeparator;
    private boolean requireImages = true;

    private Builder(String id) {
      this.id = id;
    }

    private Builder(FieldMapping m) {
      this(m.id);
      name = m.name;
      description = m.description;
      categories = m.categories;
      categorySeparator = m.categorySeparator;
      colour = m.colour;
      price = m.price;
      inStock = m.inStock;
      images = m.images;
      imagePattern = m.imagePattern;
      attributes = m.attributes;
      listSeparator = m.listSeparator;
      requireImages = m.requireImages;
    }

    public Builder id(String field) {
      this.id = field;
      return this;
    }

    public Builder name(String field) {
      this.name = field;
      return this;
    }

    public Builder description(String field) {
      this.description = field;
      return this;
    }

    public Builder categories(String... fields) {
      this.categories = List.of(fields);
      return this;
    }

    public Builder categorySeparator(String separator) {
      this.categorySeparator = separator;
      return this;
    }

    public Builder colour(String field) {
      this.colour = field;
      return this;
    }

    public Builder price(String field) {
      this.price = field;
      return this;
    }

    public Builder inStock(String field) {
      this.inStock = field;
      return this;
    }

    public Builder images(String... fields) {
      this.images = List.of(fields);
      return this;
    }

    public Builder imagePattern(String pattern) {
      this.imagePattern = pattern;
      return this;
    }

    public Builder attributes(String... fields) {
      this.attributes = List.of(fields);
      return this;
    }

    public Builder attributes(List<String> fields) {
      this.attributes = List.copyOf(fields);
      return this;
    }

    public Builder listSeparator(String separator) {
      this.listSeparator = separator;
      return this;
    }

    public Builder requireImages(boolean require) {
      this.requireImages = require;
      return this;
    }

    public FieldMapping build() {
      return new FieldMapping(
          id,
          name,
          description,
          categories,
          categorySeparator,
          colour,
          price,
          inStock,
          images,
          imagePattern,
          attributes,
          listSeparator,
          requireImages);
    }
  }
}
