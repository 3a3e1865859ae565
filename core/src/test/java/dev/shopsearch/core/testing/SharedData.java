package dev.shopsearch.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only shared data ({@code ../shared} next to the project root: datasets, models,
 * tokenizers). Tests that need it call {@link #require(String)}, which skips the test with a clear
 * message when the data is absent.
 */
public final class SharedData {
  private SharedData() {}

  /**
   * The shared directory, from {@code -Dshopsearch.shared} (set by the build) or {@code ../shared}.
   */
  public static Path root() {
    String configured = System.getProperty("shopsearch.shared");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      Path candidate = dir.resolve("../shared").normalize();
      if (Files.isDirectory(candidate.resolve("datasets"))) {
        return candidate;
      }
    }
    return Path.of("../shared").toAbsolutePath().normalize();
  }

  /** Returns {@code root().resolve(relative)}, skipping the calling test when it does not exist. */
  public static Path require(String relative) {
    Path path = root().resolve(relative);
    assumeTrue(
        Files.exists(path),
        "skipping: shared data " + path + " is absent (expected ../shared next to the project)");
    return path;
  }
}
