package dev.shopsearch.core.index;

import java.nio.file.Path;

/**
 * One generation directory of an index root.
 *
 * @param number generation number (1, 2, ...)
 * @param dir the Lucene directory {@code <root>/gen-NNNNNN}
 */
public record Generation(long number, Path dir) {
  public Generation {
    if (number < 1) {
      throw new IllegalArgumentException("generation number must be >= 1; number=" + number);
    }
  }

  /** The directory name, {@code gen-} and the number zero-padded to six digits. */
  public String name() {
    return IndexGenerations.dirName(number);
  }
}
