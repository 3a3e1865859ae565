package dev.shopsearch.service.index;

import dev.shopsearch.core.index.IndexMetadata;
import dev.shopsearch.core.index.IndexSchema;
import dev.shopsearch.core.index.OpenIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One served index generation, reference-counted on its {@link DirectoryReader}: the {@link
 * IndexManager} holds one reference while the generation is current, every request holds one while
 * it searches ({@link IndexManager#acquire()} / {@link #close()}). The reader and its directory
 * close when the last reference goes, so a swap never closes a reader under a running search.
 *
 * <p>The searcher and the parents filter are thread-safe and shared by all requests.
 */
public final class IndexHandle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IndexHandle.class);

  private final OpenIndex open;
  private final IndexSearcher searcher;
  private final BitSetProducer parents;
  private final long productCount;

  IndexHandle(OpenIndex open, Runnable onClose) {
    this.open = open;
    this.searcher = new IndexSearcher(open.reader());
    this.parents =
        new QueryBitSetProducer(
            new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
    try {
      this.productCount =
          searcher.count(new TermQuery(new Term(IndexSchema.DOC_TYPE, IndexSchema.TYPE_PRODUCT)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    open.reader()
        .getReaderCacheHelper()
        .addClosedListener(
            key -> {
              try {
                open.directory().close();
              } finally {
                onClose.run();
                log.info("closed index generation {}", open.generation().name());
              }
            });
  }

  /** The shared searcher. */
  public IndexSearcher searcher() {
    return searcher;
  }

  /** Parents filter ({@code doc_type:product}) for block-join queries. */
  public BitSetProducer parents() {
    return parents;
  }

  /** The commit metadata. */
  public IndexMetadata metadata() {
    return open.metadata();
  }

  /** Generation number. */
  public long generation() {
    return open.generation().number();
  }

  /** Live Lucene documents (products and images). */
  public int documents() {
    return open.reader().numDocs();
  }

  /** Product (parent) documents. */
  public long products() {
    return productCount;
  }

  /** Takes a reference; false once the reader is closed. */
  boolean tryIncRef() {
    return open.reader().tryIncRef();
  }

  /** Whether the reader is still open (some reference remains). */
  public boolean isOpen() {
    return open.reader().getRefCount() > 0;
  }

  /** Releases one reference (the caller's). */
  @Override
  public void close() {
    try {
      open.reader().decRef();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
