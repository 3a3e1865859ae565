package dev.shopsearch.indexer.job;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.ProductDocuments;
import dev.shopsearch.core.publish.ProductRefusals;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;

/**
 * Writes product blocks into a generation's {@link IndexWriter}. A block that Lucene refuses for
 * its content (a term longer than 32,766 bytes, a doc value too large: Lucene's non-aborting {@link
 * IllegalArgumentException}s, after which the writer stays usable and the block leaves no live
 * document) becomes that product's reject ({@code stage=product}, {@code kind=INDEX_REFUSED}); the
 * run goes on. Anything that damages the writer (an I/O error, a tragic exception) still fails the
 * run. Used from the pipeline's single writer thread.
 */
final class BlockWriter {
  private static final int MAX_REASON_CHARS = 500;

  private final IndexWriter writer;
  private final ProductDocuments docs;
  private final ProductRefusals rejects;

  BlockWriter(IndexWriter writer, ProductDocuments docs, ProductRefusals rejects) {
    this.writer = writer;
    this.docs = docs;
    this.rejects = rejects;
  }

  /**
   * Adds the product's block (a full build).
   *
   * @return whether the product is now in the index ({@code false}: it was rejected)
   */
  boolean add(Product product, List<ImageVector> images, String contentHash, float[] textVector)
      throws IOException {
    List<Document> block = docs.block(product, images, contentHash, textVector);
    try {
      writer.addDocuments(block);
      return true;
    } catch (IllegalArgumentException e) {
      return refused(product, e);
    }
  }

  /**
   * Replaces the product's block, keyed on its id (an update). When Lucene refuses the new block
   * the old one is left in place; the caller deletes it with the other products that are gone.
   *
   * @return whether the new block is now in the index ({@code false}: it was rejected)
   */
  boolean replace(Product product, List<ImageVector> images, String contentHash, float[] textVector)
      throws IOException {
    List<Document> block = docs.block(product, images, contentHash, textVector);
    try {
      writer.updateDocuments(ProductDocuments.idTerm(product.id()), block);
      return true;
    } catch (IllegalArgumentException e) {
      return refused(product, e);
    }
  }

  private boolean refused(Product product, IllegalArgumentException e) throws IOException {
    Throwable tragic = writer.getTragicException();
    if (tragic != null) {
      throw new IOException("the index writer failed: " + tragic, tragic);
    }
    String message = String.valueOf(e.getMessage());
    if (message.length() > MAX_REASON_CHARS) {
      message = message.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
    rejects.refused(product, "the index refused the product's documents: " + message);
    return false;
  }
}
