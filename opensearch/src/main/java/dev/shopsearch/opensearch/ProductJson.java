package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.LexicalAnalysis;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.index.SpellingWords;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The OpenSearch document of one product as {@link IndexMapping} describes it, with the same
 * keyword normalisation as the Lucene backend ({@link ProductDocuments#keyword}, {@link
 * ProductDocuments#categoryKeys}). Thread-safe (stateless apart from the dimension).
 */
public final class ProductJson {
  private final int dim;

  /**
   * @param dim vector dimension every image vector must have
   */
  public ProductJson(int dim) {
    if (dim < 1 || dim > 4096) {
      throw new IllegalArgumentException("dim must be in [1, 4096]; dim=" + dim);
    }
    this.dim = dim;
  }

  /**
   * The document of a product without a text vector.
   *
   * @throws IllegalArgumentException when there is no image or a vector has the wrong dimension
   */
  public ObjectNode document(Product p, List<ImageVector> images, String contentHash) {
    return document(p, images, contentHash, null);
  }

  /**
   * The document of a product.
   *
   * @param textVector the text tower's embedding of the product's text ({@link
   *     IndexSchema#TEXT_VECTOR}), or null for none
   * @throws IllegalArgumentException when there is no image or a vector has the wrong dimension
   */
  public ObjectNode document(
      Product p, List<ImageVector> images, String contentHash, float[] textVector) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("product " + p.id() + " has no image vector");
    }
    ObjectNode d = EngineClient.json().createObjectNode();
    d.put(IndexSchema.PRODUCT_ID, p.id());
    String categories = String.join(ProductDocuments.TEXT_SEPARATOR, p.categories());
    String attributes = ProductDocuments.attributesText(p);
    text(d, IndexSchema.NAME, p.name());
    text(d, IndexSchema.DESCRIPTION, p.description());
    text(d, IndexSchema.CATEGORIES_TEXT, categories);
    text(d, IndexSchema.ATTRIBUTES_TEXT, attributes);
    d.put(
        IndexSchema.SPELLING,
        SpellingWords.vocabularyText(p.name(), categories, attributes, p.description()));
    ArrayNode cats = d.putArray(IndexSchema.CATEGORIES_STORED);
    p.categories().forEach(cats::add);
    if (p.colour() != null) {
      d.put(IndexSchema.COLOUR_STORED, p.colour());
    }
    if (p.price() != null) {
      d.put(IndexSchema.PRICE_STORED, p.price().toString());
    }
    if (!p.images().isEmpty()) {
      d.put(IndexSchema.IMAGE_URL, p.images().get(0));
    }
    d.put(IndexSchema.CONTENT_HASH, contentHash == null ? "" : contentHash);
    d.put(IndexSchema.CATALOG_ROW, p.row());
    addFilterFields(d, p);
    if (textVector != null) {
      if (textVector.length != dim) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "product %s: text vector has %d floats; index dim=%d",
                p.id(),
                textVector.length,
                dim));
      }
      ArrayNode t = d.putArray(IndexMapping.TEXT_VECTOR_FIELD);
      for (float f : textVector) {
        t.add(f);
      }
    }
    ArrayNode imageArray = d.putArray(IndexMapping.IMAGES);
    for (ImageVector image : images) {
      if (image.vector().length != dim) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "product %s image %s: vector has %d floats; index dim=%d",
                p.id(),
                image.ref(),
                image.vector().length,
                dim));
      }
      ObjectNode img = imageArray.addObject();
      img.put(IndexMapping.IMAGE_REF, image.ref());
      img.put("ordinal", image.ordinal());
      ArrayNode v = img.putArray(IndexSchema.VECTOR);
      for (float f : image.vector()) {
        v.add(f);
      }
    }
    return d;
  }

  /**
   * A lexical field and, when the text has a CJK character, its CJK twin: as the embedded index, so
   * that the twin's document count (a BM25 statistic) is the same.
   */
  private static void text(ObjectNode d, String field, String value) {
    d.put(field, value);
    if (value != null && LexicalAnalysis.hasCjk(value)) {
      d.put(IndexSchema.CJK_TWINS.get(field), value);
    }
  }

  private static void addFilterFields(ObjectNode d, Product p) {
    ArrayNode cat = d.putArray(IndexSchema.CATEGORY);
    ProductDocuments.categoryKeys(p.categories()).forEach(cat::add);
    if (p.colour() != null && !ProductDocuments.keyword(p.colour()).isEmpty()) {
      d.put(IndexSchema.COLOUR, ProductDocuments.keyword(p.colour()));
    }
    if (p.price() != null) {
      d.put(IndexSchema.PRICE, p.price());
    }
    if (p.inStock() != null) {
      d.put(IndexSchema.IN_STOCK, p.inStock().toString());
    }
    if (!p.attributes().isEmpty()) {
      ObjectNode attr = d.putObject(IndexMapping.attrObject());
      for (Map.Entry<String, List<String>> a : p.attributes().entrySet()) {
        Set<String> values = new LinkedHashSet<>();
        for (String v : a.getValue()) {
          String k = ProductDocuments.keyword(v);
          if (!k.isEmpty()) {
            values.add(k);
          }
        }
        ArrayNode arr = attr.putArray(ProductDocuments.keyword(a.getKey()));
        values.forEach(arr::add);
      }
    }
  }
}
