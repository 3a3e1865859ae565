package dev.shopsearch.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The classpath of a forked node JVM: the engine jars a harness module's build copied to its {@code
 * target/engine-lib} (a plugin's in a sub-folder) plus the classes that run the node.
 */
public final class EngineClasspath {
  private EngineClasspath() {}

  /** {@code target/engine-lib} beside {@code target/classes} (or the jar) of this module. */
  static Path defaultLib() {
    return codeSource(OpenSearchNodeMain.class).getParent().resolve("engine-lib");
  }

  /** Where {@code c}'s classes are loaded from ({@code target/classes} or its jar). */
  public static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + c.getName(), e);
    }
  }

  /** The k-NN cluster's classpath: {@link #of(Path, String, List)} with this module's code. */
  static String of(Path engineLib) {
    return of(engineLib, "opensearch-knn", List.of(OpenSearchNodeMain.class));
  }

  /**
   * Every jar under {@code engineLib} (and one folder down) and the code sources of {@code
   * nodeClasses}.
   *
   * @param requiredJar part of the name of a jar that must be there (the unpacked plugin's)
   * @throws EngineStartException when the folder is missing or holds no such jar
   */
  public static String of(Path engineLib, String requiredJar, List<Class<?>> nodeClasses) {
    if (!Files.isDirectory(engineLib)) {
      throw new EngineStartException(
          "engine jars not found at "
              + engineLib
              + "; build the module that copies them first (mvn -pl <module> package)",
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
    if (entries.stream().noneMatch(e -> e.contains(requiredJar))) {
      throw new EngineStartException(
          "no " + requiredJar + " jar under " + engineLib + "; the plugin zip was not unpacked",
          false,
          null);
    }
    for (Class<?> c : nodeClasses) {
      entries.add(codeSource(c).toAbsolutePath().toString());
    }
    return String.join(java.io.File.pathSeparator, entries);
  }
}
