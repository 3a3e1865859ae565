package dev.shopsearch.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Locates the project root (tests run in {@code core/}) and reads its YAML and POM files. */
final class ProjectFiles {
  private ProjectFiles() {}

  /** The directory holding the root {@code pom.xml} with a {@code <modules>} section. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
      Path pom = dir.resolve("pom.xml");
      try {
        if (Files.isRegularFile(pom) && Files.readString(pom).contains("<modules>")) {
          return dir;
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + pom, e);
      }
    }
    throw new IllegalStateException(
        "no project root (pom.xml with <modules>) above " + Path.of(""));
  }

  /** Every YAML document in {@code file}, as plain maps/lists (safe constructor). */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(in)) {
        if (doc == null) {
          continue;
        }
        if (!(doc instanceof Map)) {
          throw new IllegalArgumentException(file + ": a document is not a mapping: " + doc);
        }
        docs.add((Map<String, Object>) doc);
      }
    }
    return docs;
  }

  /** The single YAML document in {@code file}. */
  static Map<String, Object> yaml(Path file) throws IOException {
    List<Map<String, Object>> docs = yamlDocuments(file);
    if (docs.size() != 1) {
      throw new IllegalArgumentException(file + ": expected one YAML document, got " + docs.size());
    }
    return docs.get(0);
  }

  /** Files under {@code dir} whose name ends with {@code suffix}, sorted. */
  static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  /** The {@code <module>} entries of the root pom (profiles included, comments not). */
  static List<String> modules() throws IOException {
    return modulesOf(root().resolve("pom.xml"));
  }

  /**
   * Every module of the build, nested aggregators' modules included, as paths relative to the root
   * ('/'-separated, e.g. {@code core}, {@code tools/graphs}).
   */
  static List<String> allModules() throws IOException {
    List<String> out = new ArrayList<>();
    collectModules(root(), "", out);
    return out;
  }

  private static void collectModules(Path root, String prefix, List<String> out)
      throws IOException {
    for (String module : modulesOf(root.resolve(prefix).resolve("pom.xml"))) {
      String path = Path.of(prefix).resolve(module).normalize().toString();
      out.add(path);
      Path pom = root.resolve(path).resolve("pom.xml");
      if (Files.isRegularFile(pom)) {
        collectModules(root, path, out);
      }
    }
  }

  private static List<String> modulesOf(Path pom) throws IOException {
    String xml = Files.readString(pom).replaceAll("(?s)<!--.*?-->", "");
    return all(xml, "<module>([^<]+)</module>");
  }

  /** A module's own {@code artifactId} (the first one after {@code </parent>}). */
  static String artifactId(String module) throws IOException {
    String pom = Files.readString(root().resolve(module).resolve("pom.xml"));
    String afterParent = pom.substring(pom.indexOf("</parent>"));
    return first(afterParent, "<artifactId>([^<]+)</artifactId>");
  }

  /**
   * Fully qualified names of the classes under {@code module/src/main/java} that declare {@code
   * static void main(}.
   */
  static List<String> mainClasses(String module) throws IOException {
    Path src = root().resolve(module).resolve("src/main/java");
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    List<String> mains = new ArrayList<>();
    for (Path file : files(src, ".java")) {
      if (Files.readString(file).matches("(?s).*static\\s+void\\s+main\\s*\\(.*")) {
        String rel = src.relativize(file).toString();
        mains.add(rel.substring(0, rel.length() - ".java".length()).replace('/', '.'));
      }
    }
    return mains;
  }

  static String first(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalArgumentException("no match for " + regex);
    }
    return m.group(1);
  }

  static List<String> all(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }
}
