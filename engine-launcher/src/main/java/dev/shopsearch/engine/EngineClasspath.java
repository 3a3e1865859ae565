package dev.shopsearch.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The classpath of a forked node JVM: the engine jars plus this module's own classes. */
final class EngineClasspath {
  private EngineClasspath() {}

  /** {@code target/engine-lib} beside {@code target/classes} (or the jar) of this module. */
  static Path defaultLib() {
    return ownCodeSource().getParent().resolve("engine-lib");
  }

  static Path ownCodeSource() {
    try {
      return Path.of(
          OpenSearchNodeMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the engine launcher's classes", e);
    }
  }

  /**
   * Every jar under {@code engineLib} (the k-NN plugin's in a sub-folder) and this module's code.
   *
   * @throws EngineStartException when the folder is missing or holds no server jar
   */
  static String of(Path engineLib) {
    if (!Files.isDirectory(engineLib)) {
      throw new EngineStartException(
          "engine jars not found at "
              + engineLib
              + "; build the engine-launcher module first (mvn -pl engine-launcher package)",
          false,
          null);
    }
    List<String> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(engineLib, 2)) {
      files
          .filter(p -> p.getFileName().toString().endsWith(".jar"))
          .sorted()
          .forEach(p -> entries.add(p.toAbsolutePath().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (entries.stream().noneMatch(e -> e.contains("opensearch-knn"))) {
      throw new EngineStartException(
          "no opensearch-knn jar under " + engineLib + "; the k-NN zip was not unpacked",
          false,
          null);
    }
    entries.add(ownCodeSource().toAbsolutePath().toString());
    return String.join(java.io.File.pathSeparator, entries);
  }
}
