package dev.shopsearch.core.bundle;

import java.util.Map;

/**
 * The {@code model.json} manifest of a model bundle: the contract between trainer, indexer and
 * service. A bundle directory holds this manifest, {@code text.onnx}, {@code image.onnx} and {@code
 * tokenizer.json}.
 *
 * <p>Both towers produce embeddings of {@link #dim()} floats; encoders L2-normalise them.
 *
 * @param name model name, e.g. {@code demo-clip-tiny}
 * @param version model version, e.g. {@code 2026-11-27.1}
 * @param contentHash hex SHA-256 over the bundle's files (ONNX towers, tokenizer, projections),
 *     written by {@code ModelBundle.write}; used to key caches and to match an index to its model
 * @param dim embedding dimension of both towers
 * @param similarity similarity the index must use
 * @param text text tower
 * @param image image tower
 * @param textSpec tokenizer and sequence settings
 * @param imageSpec preprocessing settings
 * @param metadata free-form metadata (training run, metrics, source checkpoint); never interpreted
 */
public record BundleManifest(
    String name,
    String version,
    String contentHash,
    int dim,
    Similarity similarity,
    TowerSpec text,
    TowerSpec image,
    TextSpec textSpec,
    ImageSpec imageSpec,
    Map<String, Object> metadata) {

  public BundleManifest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("manifest name must be set");
    }
    if (dim < 1 || dim > 4096) {
      throw new IllegalArgumentException("manifest dim must be in [1, 4096]; dim=" + dim);
    }
    if (text == null || image == null) {
      throw new IllegalArgumentException("manifest must declare both a text and an image tower");
    }
    version = version == null ? "0" : version;
    similarity = similarity == null ? Similarity.COSINE : similarity;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A copy with another content hash (the hash is computed after the files are written). */
  public BundleManifest withContentHash(String hash) {
    return new BundleManifest(
        name, version, hash, dim, similarity, text, image, textSpec, imageSpec, metadata);
  }

  /** Metadata key under which {@code trainer quantize} records what the bundle was derived from. */
  public static final String QUANTIZATION_KEY = "quantization";

  /**
   * The content hash of the float bundle this one is a verified int8 copy of ({@code
   * metadata.quantization.sourceContentHash}), or empty for an original bundle. Its embeddings live
   * in the same space as the source's (the quantiser checked the cosine), so queries encoded by
   * this bundle may search an index built with the source.
   */
  public java.util.Optional<String> quantizedFrom() {
    if (metadata.get(QUANTIZATION_KEY) instanceof Map<?, ?> q
        && q.get("sourceContentHash") instanceof String hash
        && !hash.isBlank()) {
      return java.util.Optional.of(hash);
    }
    return java.util.Optional.empty();
  }

  /** A copy with another version. */
  public BundleManifest withVersion(String newVersion) {
    return new BundleManifest(
        name, newVersion, contentHash, dim, similarity, text, image, textSpec, imageSpec, metadata);
  }

  /** A copy with other metadata. */
  public BundleManifest withMetadata(Map<String, Object> newMetadata) {
    return new BundleManifest(
        name, version, contentHash, dim, similarity, text, image, textSpec, imageSpec, newMetadata);
  }
}
