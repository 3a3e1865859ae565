package dev.shopsearch.core.index;

import java.io.IOException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;

/**
 * A generation opened for reading: its reader and its metadata. Closing it closes the reader and
 * the directory. The reader is thread-safe; share one {@code IndexSearcher} over it.
 *
 * @param generation the generation that {@code CURRENT} pointed to when opened
 * @param directory the Lucene directory
 * @param reader the reader on the latest commit
 * @param metadata the commit user data of that commit
 */
public record OpenIndex(
    Generation generation, Directory directory, DirectoryReader reader, IndexMetadata metadata)
    implements AutoCloseable {

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
