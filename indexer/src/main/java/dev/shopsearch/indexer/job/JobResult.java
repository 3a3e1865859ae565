package dev.shopsearch.indexer.job;

import java.util.Map;

/**
 * The outcome of a build or update, printed as the final JSON summary.
 *
 * @param command {@code build} or {@code update}
 * @param published whether {@code CURRENT} now names {@link #generation}
 * @param generation the generation written (0 when none was)
 * @param message one line for humans
 * @param catalogRows rows read from the catalog (accepted + rejected)
 * @param productsIndexed products written in this run
 * @param productsUnchanged products skipped because unchanged (update)
 * @param productsDeleted products removed because no longer in the catalog (update)
 * @param productsRejected rejected products (bad rows and products without a usable image)
 * @param imagesIndexed image vectors written in this run
 * @param imagesRejected images left out of kept products
 * @param imagesEncoded images run through the encoder
 * @param cacheHits images whose vector came from the cache
 * @param duplicateImages images whose bytes equal an image met earlier in this run (vector shared:
 *     decoded and encoded once)
 * @param rejectRate productsRejected / catalogRows
 * @param maxRejectRate the threshold
 * @param rejectsByKind reject counts by {@code stage:kind}
 * @param totalProducts products in the published index
 * @param totalImages images in the published index
 * @param seconds wall time
 * @param imagesPerSecond encoded-or-cached images per second of wall time
 * @param encoderSeconds time inside the encoder
 * @param prepareSeconds fetch + decode + preprocess time summed over workers
 * @param textsEncoded product texts run through the text encoder (semantic list)
 * @param textCacheHits product text vectors that came from the cache
 * @param textEncoderSeconds time inside the text encoder
 */
public record JobResult(
    String command,
    boolean published,
    long generation,
    String message,
    long catalogRows,
    long productsIndexed,
    long productsUnchanged,
    long productsDeleted,
    long productsRejected,
    long imagesIndexed,
    long imagesRejected,
    long imagesEncoded,
    long cacheHits,
    long duplicateImages,
    double rejectRate,
    double maxRejectRate,
    Map<String, Long> rejectsByKind,
    long totalProducts,
    long totalImages,
    double seconds,
    double imagesPerSecond,
    double encoderSeconds,
    double prepareSeconds,
    long textsEncoded,
    long textCacheHits,
    double textEncoderSeconds) {

  /** Whether the run failed its reject threshold. */
  public boolean rejectRateExceeded() {
    return rejectRate > maxRejectRate;
  }
}
