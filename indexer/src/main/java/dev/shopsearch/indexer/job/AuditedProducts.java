package dev.shopsearch.indexer.job;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Where {@link ConsistencyAuditor} reads the products of one generation: the embedded index ({@link
 * IndexAuditedProducts}) or an OpenSearch generation index ({@link OpenSearchAuditedProducts}).
 */
public interface AuditedProducts {
  /**
   * Calls {@code sink} once with every product of the generation that holds at least one image
   * vector; a product without one is left out.
   *
   * @throws IOException when the generation cannot be read
   */
  void forEach(Consumer<AuditedProduct> sink) throws IOException;
}
