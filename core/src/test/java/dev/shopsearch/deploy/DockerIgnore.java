package dev.shopsearch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of a {@code .dockerignore} (the subset of its syntax this project uses: {@code *},
 * {@code **}{@code /} and a leading {@code /}; no {@code !} exceptions).
 *
 * @param patterns non-blank, non-comment lines, stripped
 */
record DockerIgnore(List<String> patterns) {

  /** The {@code .dockerignore} in {@code contextRoot}. */
  static DockerIgnore load(Path contextRoot) throws IOException {
    return new DockerIgnore(
        Files.readAllLines(contextRoot.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList());
  }

  /** Whether some pattern keeps {@code path} (relative to the context, '/'-separated) out. */
  boolean excludes(String path) {
    return patterns.stream().anyMatch(p -> matches(p, path));
  }

  /** Whether {@code pattern} excludes {@code path} or a directory above it. */
  static boolean matches(String pattern, String path) {
    String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
    String target = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    String regex =
        Pattern.quote(p.replace("**/", "\u0000"))
            .replace("*", "\\E[^/]*\\Q")
            .replace("\u0000", "\\E(?:.*/)?\\Q");
    return target.matches(regex) || target.matches(regex + "/.*");
  }
}
