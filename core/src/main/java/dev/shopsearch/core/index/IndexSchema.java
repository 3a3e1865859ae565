package dev.shopsearch.core.index;

import java.util.Map;

/**
 * The Lucene index schema shared by the indexer (writes) and the service (reads). This class is the
 * one place it is defined.
 *
 * <h2>Blocks</h2>
 *
 * Each product is one document block: its image documents (children) first, the product document
 * (parent) last, added with {@code IndexWriter.addDocuments}/{@code updateDocuments} keyed on
 * {@link #PRODUCT_ID}. {@link #DOC_TYPE} tells them apart; {@code parentsFilter} for block-join
 * queries is {@code DOC_TYPE:product}.
 *
 * <h2>Parent (product) fields</h2>
 *
 * <ul>
 *   <li>{@link #DOC_TYPE} = {@code product}; {@link #PRODUCT_ID} keyword, stored, sorted doc values
 *       (on children too)
 *   <li>{@link #NAME}, {@link #DESCRIPTION}, {@link #CATEGORIES_TEXT}, {@link #ATTRIBUTES_TEXT}
 *       (the colour and every attribute value): text for BM25 and spelling, analysed with {@link
 *       LexicalAnalysis#english()}; name and description stored
 *   <li>{@link #NAME_CJK}, {@link #DESCRIPTION_CJK}, {@link #CATEGORIES_CJK}, {@link
 *       #ATTRIBUTES_CJK}: the same texts as CJK bigrams ({@link LexicalAnalysis#cjk(boolean)}),
 *       present only when the text has a CJK character (schema version 2)
 *   <li>{@link #SPELLING}: name, categories, attribute text and description together, English
 *       analysis, documents only (no frequencies, positions or norms): the vocabulary of spelling
 *       correction, one term dictionary to search (schema version 2)
 *   <li>filter fields (also on every child, so they can pre-filter the kNN query directly): {@link
 *       #CATEGORY} keywords (every prefix of every category path, lower-cased, e.g. {@code men},
 *       {@code men/tops}), {@link #COLOUR} keyword (lower-cased), {@link #PRICE} double point + doc
 *       values, {@link #IN_STOCK} {@code true}/{@code false}, {@link #ATTR_PREFIX}{@code name}
 *       keywords (lower-cased)
 *   <li>stored display fields: {@link #PRICE_STORED}, {@link #IMAGE_URL} (first image), {@link
 *       #IMAGES} (all, in catalog order), {@link #COLOUR_STORED}, {@link #CATEGORIES_STORED}
 *   <li>{@link #CONTENT_HASH}: hash of the product row and its image bytes, for incremental updates
 *   <li>{@link #CATALOG_ROW}: numeric doc values, the catalog row (schema version 3)
 *   <li>{@link #TEXT_VECTOR}: {@code KnnFloatVectorField}, the text tower's embedding of {@link
 *       ProductText#of} (name and description), same dimension, similarity, vector format and HNSW
 *       parameters as the image vectors; absent when the product has no text or the index was built
 *       without a text tower (schema version 4)
 * </ul>
 *
 * <h2>Child (image) fields</h2>
 *
 * <ul>
 *   <li>{@link #DOC_TYPE} = {@code image}; {@link #PRODUCT_ID} (keyword, stored); {@link
 *       #IMAGE_REF} (stored); {@link #IMAGE_ORDINAL} (stored int); {@link #IMAGE_SHA256} (stored
 *       hex SHA-256 of the bytes the vector was computed from, when known)
 *   <li>{@link #VECTOR}: {@code KnnFloatVectorField}, unit-norm, similarity from the bundle
 *   <li>the same filter fields as the parent
 * </ul>
 *
 * <h2>Commit user data</h2>
 *
 * See {@link IndexMetadata}: model name/version/hash, dim, similarity, vector format, catalog
 * checksum, created-at.
 */
public final class IndexSchema {
  private IndexSchema() {}

  public static final String DOC_TYPE = "doc_type";
  public static final String TYPE_PRODUCT = "product";
  public static final String TYPE_IMAGE = "image";

  public static final String PRODUCT_ID = "product_id";
  public static final String NAME = "name";
  public static final String DESCRIPTION = "description";
  public static final String CATEGORIES_TEXT = "categories_text";
  public static final String CATEGORIES_STORED = "categories";
  public static final String ATTRIBUTES_TEXT = "attributes_text";
  public static final String SPELLING = "spelling";
  public static final String NAME_CJK = "name_cjk";
  public static final String DESCRIPTION_CJK = "description_cjk";
  public static final String CATEGORIES_CJK = "categories_cjk";
  public static final String ATTRIBUTES_CJK = "attributes_cjk";

  /**
   * The English lexical fields, each mapped to its CJK twin: the same text analysed with {@link
   * LexicalAnalysis#cjk(boolean)} instead of {@link LexicalAnalysis#english()}.
   */
  public static final Map<String, String> CJK_TWINS =
      Map.of(
          NAME, NAME_CJK,
          DESCRIPTION, DESCRIPTION_CJK,
          CATEGORIES_TEXT, CATEGORIES_CJK,
          ATTRIBUTES_TEXT, ATTRIBUTES_CJK);

  public static final String CATEGORY = "category";
  public static final String COLOUR = "colour";
  public static final String COLOUR_STORED = "colour_display";
  public static final String PRICE = "price";
  public static final String PRICE_STORED = "price_display";
  public static final String IN_STOCK = "in_stock";
  public static final String ATTR_PREFIX = "attr.";
  public static final String IMAGE_URL = "image_url";
  public static final String IMAGES = "images";
  public static final String CONTENT_HASH = "content_hash";

  /**
   * The product's 1-based row in the catalog file (numeric doc values on the parent), the order of
   * {@code sort=newest}: catalogs append new products (schema version 3).
   */
  public static final String CATALOG_ROW = "catalog_row";

  public static final String IMAGE_REF = "image_ref";
  public static final String IMAGE_ORDINAL = "image_ordinal";
  public static final String IMAGE_SHA256 = "image_sha256";
  public static final String VECTOR = "vector";

  /**
   * The product's text vector, on the parent document: the semantic list's kNN field (schema
   * version 4).
   */
  public static final String TEXT_VECTOR = "text_vector";
}
