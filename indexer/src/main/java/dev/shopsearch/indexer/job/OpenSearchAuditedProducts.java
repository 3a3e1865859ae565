package dev.shopsearch.indexer.job;

import dev.shopsearch.opensearch.GenerationReader;
import java.util.function.Consumer;

/**
 * The products of an OpenSearch generation index, read from {@code _source} in product id order
 * ({@link GenerationReader#forEachProductWithText}, one page in memory at a time). An image without
 * a vector is left out, and a product left with none.
 *
 * @param reader reads the generation's cluster
 * @param index the generation index (the one the alias points to)
 */
public record OpenSearchAuditedProducts(GenerationReader reader, String index)
    implements AuditedProducts {

  @Override
  public void forEach(Consumer<AuditedProduct> sink) {
    reader.forEachProductWithText(
        index,
        p -> {
          if (!p.images().isEmpty()) {
            sink.accept(
                new AuditedProduct(
                    p.id(),
                    p.name(),
                    p.description(),
                    p.images().stream().map(GenerationReader.StoredImage::ref).toList(),
                    p.images().stream().map(GenerationReader.StoredImage::vector).toList()));
          }
        });
  }
}
