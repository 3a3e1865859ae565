package dev.shopsearch.indexer.pipeline;

import dev.shopsearch.core.catalog.Product;
import java.io.IOException;

/** Where the pipeline's products go: a full build or an incremental update. */
public interface PipelineSink {

  /**
   * Called from a worker thread once a product's image bytes are hashed, before any decoding or
   * encoding. Returning {@code false} skips the product (an update whose content hash is
   * unchanged). Must be thread-safe.
   */
  boolean wants(Product product, String contentHash) throws IOException;

  /**
   * Called from the single writer thread for every encoded product.
   *
   * @return whether the product went into the index; {@code false} when the index refused it (the
   *     sink has recorded that as the product's reject)
   * @throws IOException when the index cannot be written at all (stops the run)
   */
  boolean write(EncodedProduct product) throws IOException;
}
