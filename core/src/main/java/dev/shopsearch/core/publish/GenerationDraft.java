package dev.shopsearch.core.publish;

import dev.shopsearch.core.catalog.Product;
import dev.shopsearch.core.index.ImageVector;
import dev.shopsearch.core.index.IndexMetadata;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One generation being written, not yet visible to searchers (see {@link GenerationStore} for the
 * guarantees). {@link #put} is called from one thread; {@link #unchanged} from any thread. {@link
 * #close()} discards the draft unless it was published.
 */
public interface GenerationDraft extends Closeable {
  /** The generation's number (1, 2, ...), as {@link IndexMetadata#generation()} will say. */
  long number();

  /** The generation's name (a directory or an index name). */
  String name();

  /** The metadata of the generation this draft copies ({@link GenerationStore#copyOfCurrent}). */
  Optional<IndexMetadata> base();

  /**
   * Whether the base generation holds {@code productId} with the same content hash; if so the
   * product is kept as it is. Always {@code false} for a draft without a base.
   */
  boolean unchanged(String productId, String contentHash) throws IOException;

  /**
   * Adds the product, or replaces its version from the base. A product the backend refuses for its
   * content goes to the {@link ProductRefusals} and is left out, now ({@code false}) or when the
   * draft flushes (at the latest in {@link #deleteRemoved()} or {@link #counts()}).
   *
   * @param textVector the product's text vector ({@link
   *     dev.shopsearch.core.index.IndexSchema#TEXT_VECTOR}, the semantic list), or null for none; a
   *     backend without product text vectors ignores it
   * @return {@code false} when the product was refused right away
   * @throws IOException when the backend cannot be written (the run stops)
   */
  boolean put(Product product, List<ImageVector> images, String contentHash, float[] textVector)
      throws IOException;

  /** {@link #put(Product, List, String, float[])} without a text vector. */
  default boolean put(Product product, List<ImageVector> images, String contentHash)
      throws IOException {
    return put(product, images, contentHash, null);
  }

  /**
   * Deletes the base's products that were neither {@link #unchanged} nor put (gone from the
   * catalog, now rejected, or refused by the backend).
   *
   * @return how many were deleted
   */
  long deleteRemoved() throws IOException;

  /** Products and images the draft holds now, every pending write flushed. */
  Counts counts() throws IOException;

  /**
   * Stores {@code metadata} with the generation, checks the generation (counts equal {@link
   * #counts()} and the metadata's, the metadata reads back), publishes it atomically and prunes.
   *
   * @param keepGenerations generations the prune keeps (the published one included), >= 1
   * @return the names of the pruned generations
   * @throws IOException when a check fails (nothing published) or the backend fails
   */
  List<String> publish(IndexMetadata metadata, int keepGenerations) throws IOException;

  /**
   * Products and images in a generation.
   *
   * @param products product count
   * @param images image count
   */
  record Counts(long products, long images) {}
}
