package dev.shopsearch.core.index;

import dev.shopsearch.core.bundle.BundleManifest;
import dev.shopsearch.core.bundle.Similarity;
import dev.shopsearch.core.fusion.FusionSettings;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an index was built with, stored in the Lucene commit user data (keys {@code shopsearch.*},
 * see {@link #toUserData()}). The indexer writes it with every commit; the service reads it and
 * calls {@link #checkCompatible(BundleManifest)} before serving queries.
 *
 * @param schemaVersion {@link #SCHEMA_VERSION} when written by this code
 * @param modelName bundle name
 * @param modelVersion bundle version
 * @param modelHash bundle content hash (hex SHA-256), or empty when the bundle had none
 * @param dim vector dimension
 * @param similarity vector similarity (from the bundle)
 * @param vectorFormat how the vectors are stored
 * @param hnsw graph parameters used to build
 * @param catalogChecksum SHA-256 of the catalog file the index was built from (may be empty)
 * @param createdAt when this commit was made
 * @param generation the generation number (directory {@code gen-NNNNNN}) this commit lives in
 * @param products number of product (parent) documents
 * @param images number of image (child) documents
 * @param fusion the hybrid fusion calibrated for this index ({@code indexer calibrate}, keys {@code
 *     shopsearch.fusion.*}), or null when it was never calibrated (the service then fuses with
 *     equal RRF); carried over by {@link #forCommit}
 */
public record IndexMetadata(
    int schemaVersion,
    String modelName,
    String modelVersion,
    String modelHash,
    int dim,
    Similarity similarity,
    VectorFormat vectorFormat,
    HnswParams hnsw,
    String catalogChecksum,
    Instant createdAt,
    long generation,
    long products,
    long images,
    FusionSettings fusion) {

  /**
   * Version of the document layout described in {@link IndexSchema}. 1: the first layout. 2: the
   * lexical fields are analysed with {@link LexicalAnalysis} (CJK tokens left out of the English
   * fields, CJK bigram twins {@code *_cjk} beside them); {@link IndexSchema#ATTRIBUTES_TEXT} and
   * {@link IndexSchema#SPELLING} are added. 3: {@link IndexSchema#CATALOG_ROW} (the catalog order,
   * for {@code sort=newest}) is added. 4: {@link IndexSchema#TEXT_VECTOR} (one text-tower vector
   * per product, the semantic list) is added. Readers accept every version up to this one; writers
   * add only to an index of this version ({@link #checkWritable()}).
   */
  public static final int SCHEMA_VERSION = 4;

  /** The first schema version whose products may carry {@link IndexSchema#TEXT_VECTOR}. */
  public static final int SEMANTIC_SCHEMA_VERSION = 4;

  /** The first schema version with the CJK twins, the attribute text and the spelling field. */
  public static final int LEXICAL_SCHEMA_VERSION = 2;

  static final String PREFIX = "shopsearch.";
  static final String K_SCHEMA = PREFIX + "schema_version";
  static final String K_MODEL_NAME = PREFIX + "model.name";
  static final String K_MODEL_VERSION = PREFIX + "model.version";
  static final String K_MODEL_HASH = PREFIX + "model.hash";
  static final String K_DIM = PREFIX + "dim";
  static final String K_SIMILARITY = PREFIX + "similarity";
  static final String K_FORMAT = PREFIX + "vector_format";
  static final String K_HNSW_M = PREFIX + "hnsw.m";
  static final String K_HNSW_BEAM = PREFIX + "hnsw.beam_width";
  static final String K_CATALOG = PREFIX + "catalog.sha256";
  static final String K_CREATED = PREFIX + "created_at";
  static final String K_GENERATION = PREFIX + "generation";
  static final String K_PRODUCTS = PREFIX + "products";
  static final String K_IMAGES = PREFIX + "images";

  public IndexMetadata {
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("index metadata: model name must be set");
    }
    if (dim < 1 || dim > 4096) {
      throw new IllegalArgumentException("index metadata: dim must be in [1, 4096]; dim=" + dim);
    }
    Objects.requireNonNull(similarity, "similarity");
    Objects.requireNonNull(vectorFormat, "vectorFormat");
    Objects.requireNonNull(hnsw, "hnsw");
    Objects.requireNonNull(createdAt, "createdAt");
    modelVersion = modelVersion == null ? "" : modelVersion;
    modelHash = modelHash == null ? "" : modelHash;
    catalogChecksum = catalogChecksum == null ? "" : catalogChecksum;
    if (generation < 0 || products < 0 || images < 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "index metadata: generation/products/images must be >= 0; got %d/%d/%d",
              generation,
              products,
              images));
    }
  }

  /** Metadata without calibrated fusion settings. */
  public IndexMetadata(
      int schemaVersion,
      String modelName,
      String modelVersion,
      String modelHash,
      int dim,
      Similarity similarity,
      VectorFormat vectorFormat,
      HnswParams hnsw,
      String catalogChecksum,
      Instant createdAt,
      long generation,
      long products,
      long images) {
    this(
        schemaVersion,
        modelName,
        modelVersion,
        modelHash,
        dim,
        similarity,
        vectorFormat,
        hnsw,
        catalogChecksum,
        createdAt,
        generation,
        products,
        images,
        null);
  }

  /** Metadata for a new index built with a bundle; counts and generation start at 0. */
  public static IndexMetadata forBundle(
      BundleManifest bundle, VectorFormat format, HnswParams hnsw, String catalogChecksum) {
    return new IndexMetadata(
        SCHEMA_VERSION,
        bundle.name(),
        bundle.version(),
        bundle.contentHash(),
        bundle.dim(),
        bundle.similarity(),
        format,
        hnsw,
        catalogChecksum,
        Instant.now(),
        0,
        0,
        0);
  }

  /** A copy for a new commit: another generation, counts and creation time. */
  public IndexMetadata forCommit(
      long newGeneration, long newProducts, long newImages, String newCatalogChecksum) {
    return new IndexMetadata(
        schemaVersion,
        modelName,
        modelVersion,
        modelHash,
        dim,
        similarity,
        vectorFormat,
        hnsw,
        newCatalogChecksum,
        Instant.now(),
        newGeneration,
        newProducts,
        newImages,
        fusion);
  }

  /**
   * A copy with other fusion settings (same generation and counts), for a commit that only records
   * a calibration.
   *
   * @param newFusion the settings, or null to drop them
   */
  public IndexMetadata withFusion(FusionSettings newFusion) {
    return new IndexMetadata(
        schemaVersion,
        modelName,
        modelVersion,
        modelHash,
        dim,
        similarity,
        vectorFormat,
        hnsw,
        catalogChecksum,
        createdAt,
        generation,
        products,
        images,
        newFusion);
  }

  /** The calibrated fusion settings, or {@link FusionSettings#EQUAL_RRF} when there are none. */
  public FusionSettings fusionOrDefault() {
    return fusion == null ? FusionSettings.EQUAL_RRF : fusion;
  }

  /** The commit user data entries (all values are strings). */
  public Map<String, String> toUserData() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(K_SCHEMA, Integer.toString(schemaVersion));
    m.put(K_MODEL_NAME, modelName);
    m.put(K_MODEL_VERSION, modelVersion);
    m.put(K_MODEL_HASH, modelHash);
    m.put(K_DIM, Integer.toString(dim));
    m.put(K_SIMILARITY, similarity.name());
    m.put(K_FORMAT, vectorFormat.key());
    m.put(K_HNSW_M, Integer.toString(hnsw.m()));
    m.put(K_HNSW_BEAM, Integer.toString(hnsw.beamWidth()));
    m.put(K_CATALOG, catalogChecksum);
    m.put(K_CREATED, createdAt.toString());
    m.put(K_GENERATION, Long.toString(generation));
    m.put(K_PRODUCTS, Long.toString(products));
    m.put(K_IMAGES, Long.toString(images));
    if (fusion != null) {
      m.putAll(fusion.toUserData());
    }
    return m;
  }

  /**
   * Reads the metadata from commit user data.
   *
   * @throws IndexMismatchException naming the missing or malformed key (e.g. an index not written
   *     by the shopsearch indexer)
   */
  public static IndexMetadata fromUserData(Map<String, String> userData) {
    if (userData == null || !userData.containsKey(K_MODEL_NAME)) {
      throw new IndexMismatchException(
          "index has no shopsearch metadata in its commit user data (missing "
              + K_MODEL_NAME
              + "); was it written by the shopsearch indexer?");
    }
    try {
      int schema = intValue(userData, K_SCHEMA);
      if (schema > SCHEMA_VERSION) {
        throw new IndexMismatchException(
            String.format(
                Locale.ROOT,
                "index schema version %d is newer than this code supports (%d)",
                schema,
                SCHEMA_VERSION));
      }
      return new IndexMetadata(
          schema,
          required(userData, K_MODEL_NAME),
          userData.get(K_MODEL_VERSION),
          userData.get(K_MODEL_HASH),
          intValue(userData, K_DIM),
          Similarity.valueOf(required(userData, K_SIMILARITY)),
          VectorFormat.fromKey(required(userData, K_FORMAT)),
          new HnswParams(intValue(userData, K_HNSW_M), intValue(userData, K_HNSW_BEAM)),
          userData.get(K_CATALOG),
          Instant.parse(required(userData, K_CREATED)),
          longValue(userData, K_GENERATION),
          longValue(userData, K_PRODUCTS),
          longValue(userData, K_IMAGES),
          FusionSettings.fromUserData(userData));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IndexMismatchException("index commit user data is malformed: " + e.getMessage());
    }
  }

  /**
   * Whether the index has the lexical fields of {@link #LEXICAL_SCHEMA_VERSION}: the CJK twins,
   * {@link IndexSchema#ATTRIBUTES_TEXT} and {@link IndexSchema#SPELLING}.
   */
  public boolean hasLexicalFields() {
    return schemaVersion >= LEXICAL_SCHEMA_VERSION;
  }

  /**
   * Refuses to add documents of this code's layout to an index written with another schema version
   * (an incremental update would mix the two layouts in one index).
   *
   * @throws IndexMismatchException naming both versions and what to do instead
   */
  public void checkWritable() {
    if (schemaVersion != SCHEMA_VERSION) {
      throw new IndexMismatchException(
          String.format(
              Locale.ROOT,
              "index generation %d has schema version %d but this indexer writes version %d;"
                  + " one index never mixes two layouts: rebuild it with 'indexer build' instead of"
                  + " updating it",
              generation,
              schemaVersion,
              SCHEMA_VERSION));
    }
  }

  /**
   * Refuses a bundle that cannot query this index: a different model name, dimension or similarity,
   * or a different content hash (when both sides have one; otherwise a different version).
   *
   * @throws IndexMismatchException listing every disagreeing field with both values
   */
  public void checkCompatible(BundleManifest bundle) {
    check(bundle, false);
  }

  /**
   * Like {@link #checkCompatible}, for a bundle that only encodes queries against this index: it
   * also accepts a verified int8 copy of the index's model ({@link BundleManifest#quantizedFrom()}
   * equal to the index's model hash), whose embeddings live in the same space. Writers (build,
   * update) keep using {@link #checkCompatible}, so one index never mixes vectors of two towers.
   *
   * @throws IndexMismatchException listing every disagreeing field with both values
   */
  public void checkQueryCompatible(BundleManifest bundle) {
    check(bundle, true);
  }

  private void check(BundleManifest bundle, boolean acceptQuantizedCopy) {
    List<String> problems = new ArrayList<>();
    if (!modelName.equals(bundle.name())) {
      problems.add(diff("model name", modelName, bundle.name()));
    }
    if (dim != bundle.dim()) {
      problems.add(diff("dim", Integer.toString(dim), Integer.toString(bundle.dim())));
    }
    if (similarity != bundle.similarity()) {
      problems.add(diff("similarity", similarity.name(), bundle.similarity().name()));
    }
    String bundleHash = bundle.contentHash() == null ? "" : bundle.contentHash();
    if (!modelHash.isBlank() && !bundleHash.isBlank()) {
      boolean copyOfIndexModel =
          acceptQuantizedCopy
              && bundle.quantizedFrom().map(modelHash::equalsIgnoreCase).orElse(false);
      if (!modelHash.equalsIgnoreCase(bundleHash) && !copyOfIndexModel) {
        problems.add(diff("model hash", modelHash, bundleHash));
      }
    } else if (!modelVersion.equals(bundle.version())) {
      problems.add(diff("model version", modelVersion, bundle.version()));
    }
    if (!problems.isEmpty()) {
      throw new IndexMismatchException(
          String.format(
              Locale.ROOT,
              "model bundle %s %s does not match index generation %d (built with %s %s): %s;"
                  + " rebuild the index with this bundle or load the bundle it was built with",
              bundle.name(),
              bundle.version(),
              generation,
              modelName,
              modelVersion,
              String.join("; ", problems)));
    }
  }

  private static String diff(String field, String index, String bundle) {
    return String.format(Locale.ROOT, "%s: index=%s bundle=%s", field, index, bundle);
  }

  private static String required(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("missing key " + key);
    }
    return v;
  }

  private static int intValue(Map<String, String> m, String key) {
    String v = required(m, key);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: '" + v + "'");
    }
  }

  private static long longValue(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not an integer: '" + v + "'");
    }
  }
}
