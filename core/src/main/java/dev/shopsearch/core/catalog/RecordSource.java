package dev.shopsearch.core.catalog;

import java.io.Closeable;
import java.io.IOException;

/** Streams raw records out of one catalog file (package-private). Not thread-safe. */
interface RecordSource extends Closeable {

  /** The next record, or {@code null} at end of input. Never throws for a malformed record. */
  RawRecord next() throws IOException;
}
