package dev.shopsearch.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.VectorFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings and mappings of one generation index, derived from core's {@link IndexSchema}:
 *
 * <ul>
 *   <li>product level: {@link IndexSchema#PRODUCT_ID} keyword; {@link IndexSchema#NAME}, {@link
 *       IndexSchema#DESCRIPTION}, {@link IndexSchema#CATEGORIES_TEXT}, {@link
 *       IndexSchema#ATTRIBUTES_TEXT} analysed text (BM25) with the embedded index's analysis
 *       ({@link LexicalAnalysers}: English words, and CJK bigrams in the {@link
 *       IndexSchema#CJK_TWINS} fields, present only when the text has a CJK character); the filter
 *       fields ({@link IndexSchema#CATEGORY}, {@link IndexSchema#COLOUR}, {@link
 *       IndexSchema#IN_STOCK}, {@code attr.*} keywords, {@link IndexSchema#PRICE} double); display
 *       fields stored in {@code _source} only; {@link IndexSchema#CONTENT_HASH} keyword; {@link
 *       IndexSchema#CATALOG_ROW} long (the catalog order, {@code sort=newest}; schema version 3);
 *       {@link IndexSchema#SPELLING} (name, categories, attribute text and description, English
 *       analysis, documents only: the vocabulary of spelling correction, as in the embedded index);
 *       {@link IndexSchema#TEXT_VECTOR}, the product's text vector (the semantic list; schema
 *       version 4), a {@code knn_vector} with the image vectors' dimension, space, format and HNSW
 *       parameters, absent from the documents of an index built without the text tower
 *   <li>{@value #IMAGES} ({@code nested}, one object per image): {@code ref}, {@code ordinal}, the
 *       {@code knn_vector} {@value #VECTOR_FIELD}; the product-level filter fields pre-filter a
 *       nested knn clause directly (the k-NN plugin joins a parent filter down to the images), so
 *       unlike the Lucene schema they are not copied onto every image
 *   <li>{@code _meta}: {@link IndexMetadata#toUserData()} (model name/version/hash, dim,
 *       similarity, vector format, schema version, ...)
 * </ul>
 *
 * Every {@code knn_vector} uses {@code "engine":"lucene"}: {@link #requireLuceneEngine} refuses any
 * other (the 3.x default, faiss, needs a native library that a Maven-built node lacks and its first
 * write never returns). {@link VectorFormat#INT7} maps to the {@code sq} encoder (Lucene's 7-bit
 * scalar quantisation); the other quantised formats have no OpenSearch equivalent and are refused.
 */
public final class IndexMapping {
  /** The nested image path. */
  public static final String IMAGES = "images";

  /** The product-level text vector (the semantic list's kNN field). */
  public static final String TEXT_VECTOR_FIELD = IndexSchema.TEXT_VECTOR;

  /** The vector inside each image object. */
  public static final String VECTOR_FIELD = IMAGES + "." + IndexSchema.VECTOR;

  /** The image reference inside each image object. */
  public static final String IMAGE_REF = "ref";

  /**
   * The English lexical fields (each with its CJK twin, {@link IndexSchema#CJK_TWINS}), as the
   * embedded schema has them.
   */
  static final List<String> LEXICAL_FIELDS =
      List.of(
          IndexSchema.NAME,
          IndexSchema.DESCRIPTION,
          IndexSchema.CATEGORIES_TEXT,
          IndexSchema.ATTRIBUTES_TEXT);

  /** Product-level keyword filter fields. */
  static final List<String> KEYWORD_FILTERS =
      List.of(IndexSchema.CATEGORY, IndexSchema.COLOUR, IndexSchema.IN_STOCK);

  private IndexMapping() {}

  /** The body of {@code PUT /index}: settings and mappings. */
  public static ObjectNode createIndexBody(IndexMetadata metadata, IndexLayout layout) {
    ObjectNode body = EngineClient.json().createObjectNode();
    ObjectNode index = body.putObject("settings").putObject("index");
    index.put("number_of_shards", layout.shards());
    index.put("number_of_replicas", layout.replicas());
    index.put("knn", true);
    if (layout.segmentReplication()) {
      index.put("replication.type", "SEGMENT");
    }
    index.set("analysis", LexicalAnalysers.analysis());
    body.set("mappings", mappings(metadata));
    requireLuceneEngine(body.get("mappings"));
    return body;
  }

  /** The {@code _meta} key of a generation's {@link #fingerprint}. */
  public static final String FINGERPRINT_KEY = "shopsearch.opensearch.index_body";

  /**
   * A digest of what {@link #createIndexBody} makes for {@code metadata} and {@code layout},
   * leaving out what may differ between two generations of the same shape (the {@code _meta}
   * values, the replica count): two indices with equal fingerprints have the same shards, analysis
   * and mapping, so a {@code _clone} of one is what creating the other and re-indexing into it
   * would give. Stored in each generation's {@code _meta} under {@link #FINGERPRINT_KEY}.
   */
  public static String fingerprint(IndexMetadata metadata, IndexLayout layout) {
    ObjectNode body = createIndexBody(metadata, layout);
    ((ObjectNode) body.path("settings").path("index")).remove("number_of_replicas");
    ((ObjectNode) body.path("mappings")).remove("_meta");
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  /** The {@code mappings} object. */
  public static ObjectNode mappings(IndexMetadata metadata) {
    ObjectNode mappings = EngineClient.json().createObjectNode();
    mappings.put("dynamic", "strict");
    ObjectNode meta = mappings.putObject("_meta");
    for (Map.Entry<String, String> e : metadata.toUserData().entrySet()) {
      meta.put(e.getKey(), e.getValue());
    }
    // attr.* values are keywords (filters, facet aggregations), not dynamic text + .keyword
    ObjectNode attrKeywords =
        mappings.putArray("dynamic_templates").addObject().putObject("attr_keywords");
    attrKeywords.put("path_match", IndexSchema.ATTR_PREFIX + "*");
    attrKeywords.put("match_mapping_type", "string");
    attrKeywords.putObject("mapping").put("type", "keyword");
    ObjectNode props = mappings.putObject("properties");
    keyword(props, IndexSchema.PRODUCT_ID);
    for (String field : LEXICAL_FIELDS) {
      text(props, field, LexicalAnalysers.ENGLISH, null);
      text(
          props,
          IndexSchema.CJK_TWINS.get(field),
          LexicalAnalysers.CJK_INDEX,
          LexicalAnalysers.CJK_QUERY);
    }
    filterFields(props);
    stored(props, IndexSchema.CATEGORIES_STORED);
    stored(props, IndexSchema.COLOUR_STORED);
    stored(props, IndexSchema.PRICE_STORED);
    stored(props, IndexSchema.IMAGE_URL);
    keyword(props, IndexSchema.CONTENT_HASH);
    props.putObject(IndexSchema.CATALOG_ROW).put("type", "long");
    props.set(IndexSchema.TEXT_VECTOR, knnVector(metadata));
    ObjectNode spelling = props.putObject(IndexSchema.SPELLING);
    spelling.put("type", "text");
    spelling.put("analyzer", LexicalAnalysers.ENGLISH);
    spelling.put("index_options", "docs");
    spelling.put("norms", false);

    ObjectNode images = props.putObject(IMAGES);
    images.put("type", "nested");
    ObjectNode imageProps = images.putObject("properties");
    // doc values: a kNN hit's best image comes back without reading the product's _source
    imageProps.putObject(IMAGE_REF).put("type", "keyword").put("index", false);
    imageProps.putObject("ordinal").put("type", "integer");
    imageProps.set(IndexSchema.VECTOR, knnVector(metadata));
    return mappings;
  }

  private static ObjectNode knnVector(IndexMetadata metadata) {
    ObjectNode v = EngineClient.json().createObjectNode();
    v.put("type", "knn_vector");
    v.put("dimension", metadata.dim());
    ObjectNode method = v.putObject("method");
    method.put("name", "hnsw");
    method.put("engine", "lucene");
    method.put("space_type", spaceType(metadata.similarity()));
    ObjectNode params = method.putObject("parameters");
    params.put("m", metadata.hnsw().m());
    params.put("ef_construction", metadata.hnsw().beamWidth());
    switch (metadata.vectorFormat()) {
      case FLOAT -> {}
      case INT7 -> params.putObject("encoder").put("name", "sq");
      default ->
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "vector format %s has no OpenSearch lucene-engine equivalent; use %s or %s",
                  metadata.vectorFormat().key(),
                  VectorFormat.FLOAT.key(),
                  VectorFormat.INT7.key()));
    }
    return v;
  }

  /**
   * Whether a generation's image references have doc values (generations mapped before they did
   * not: their best image is read from the nested {@code _source}).
   *
   * @param properties the generation's top-level mapping properties
   */
  static boolean imageRefDocValues(JsonNode properties) {
    JsonNode ref = properties.path(IMAGES).path("properties").path(IMAGE_REF);
    return !ref.isMissingNode() && ref.path("doc_values").asBoolean(true);
  }

  /** The k-NN space type of a bundle similarity. */
  public static String spaceType(Similarity similarity) {
    return switch (similarity) {
      case COSINE -> "cosinesimil";
      case DOT_PRODUCT -> "innerproduct";
      case EUCLIDEAN -> "l2";
    };
  }

  private static void filterFields(ObjectNode props) {
    for (String f : KEYWORD_FILTERS) {
      keyword(props, f);
    }
    props.putObject(IndexSchema.PRICE).put("type", "double");
    ObjectNode attr = props.putObject(attrObject());
    attr.put("type", "object");
    attr.put("dynamic", "true");
  }

  /** The object holding {@code attr.*} keywords (dynamic: attribute names come from catalogs). */
  static String attrObject() {
    return IndexSchema.ATTR_PREFIX.substring(0, IndexSchema.ATTR_PREFIX.length() - 1);
  }

  private static void keyword(ObjectNode props, String name) {
    props.putObject(name).put("type", "keyword");
  }

  private static void text(ObjectNode props, String name, String analyzer, String searchAnalyzer) {
    ObjectNode f = props.putObject(name);
    f.put("type", "text");
    f.put("analyzer", analyzer);
    if (searchAnalyzer != null) {
      f.put("search_analyzer", searchAnalyzer);
    }
  }

  private static void stored(ObjectNode props, String name) {
    ObjectNode f = props.putObject(name);
    f.put("type", "keyword");
    f.put("index", false);
    f.put("doc_values", false);
  }

  /**
   * Refuses a mapping in which any {@code knn_vector} (at any depth) does not say {@code
   * "engine":"lucene"}.
   *
   * @throws IllegalArgumentException naming the field and the engine found
   */
  public static void requireLuceneEngine(JsonNode mappings) {
    check(mappings.path("properties"), "");
  }

  private static void check(JsonNode properties, String prefix) {
    Iterator<Map.Entry<String, JsonNode>> fields = properties.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String path = prefix + f.getKey();
      JsonNode def = f.getValue();
      if ("knn_vector".equals(def.path("type").asText())) {
        String engine = def.path("method").path("engine").asText("");
        if (!"lucene".equals(engine)) {
          throw new IllegalArgumentException(
              String.format(
                  Locale.ROOT,
                  "knn_vector %s has engine '%s'; only \"engine\":\"lucene\" is allowed (faiss,"
                      + " the 3.x default, and nmslib need native libraries; a write to such a"
                      + " field can hang the shard)",
                  path,
                  engine.isEmpty() ? "<default>" : engine));
        }
      }
      if (def.has("properties")) {
        check(def.get("properties"), path + ".");
      }
    }
  }
}
