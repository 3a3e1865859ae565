package dev.shopsearch.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed Dockerfile: instructions with continuation lines joined and comments dropped, the {@code
 * ARG} defaults declared before the first {@code FROM}, and the stages.
 *
 * @param path the file
 * @param globalArgs ARG defaults before the first FROM
 * @param stages instructions per stage, in order (the last stage is the image)
 */
record Dockerfile(Path path, Map<String, String> globalArgs, List<List<Instruction>> stages) {

  /** One instruction: upper-case keyword and the rest of the line. */
  record Instruction(String keyword, String args) {}

  static Dockerfile parse(Path path) throws IOException {
    List<Instruction> all = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : Files.readAllLines(path)) {
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().strip();
      current.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      int space = text.indexOf(' ');
      all.add(
          new Instruction(
              text.substring(0, space).toUpperCase(Locale.ROOT),
              text.substring(space + 1).strip()));
    }
    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<List<Instruction>> stages = new ArrayList<>();
    for (Instruction i : all) {
      if (i.keyword().equals("FROM")) {
        stages.add(new ArrayList<>());
      }
      if (stages.isEmpty()) {
        if (i.keyword().equals("ARG") && i.args().contains("=")) {
          String[] kv = i.args().split("=", 2);
          globalArgs.put(kv[0], kv[1]);
        }
      } else {
        stages.getLast().add(i);
      }
    }
    return new Dockerfile(path, globalArgs, stages);
  }

  /** The image the final stage builds on, with {@code ${ARG}} defaults substituted. */
  String finalBase() {
    return substitute(stages.getLast().getFirst().args().split("\\s+")[0]);
  }

  /** Every instruction of the final stage with the given keyword. */
  List<String> finalStage(String keyword) {
    return stages.getLast().stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::args)
        .toList();
  }

  /** Every instruction in any stage with the given keyword. */
  List<String> anyStage(String keyword) {
    return stages.stream()
        .flatMap(List::stream)
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::args)
        .toList();
  }

  /**
   * The instructions of the one stage whose {@code RUN}s call the Maven wrapper (its {@code FROM}
   * first).
   *
   * @throws IllegalStateException unless exactly one stage runs {@code ./mvnw}
   */
  List<Instruction> mavenStage() {
    List<List<Instruction>> found =
        stages.stream()
            .filter(
                s ->
                    s.stream()
                        .anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("./mvnw")))
            .toList();
    if (found.size() != 1) {
      throw new IllegalStateException(
          path + ": expected exactly one stage that runs ./mvnw, found " + found.size());
    }
    return found.getFirst();
  }

  /** The name a stage is given by {@code FROM image AS name}, or "" when it has none. */
  static String alias(List<Instruction> stage) {
    String[] from = stage.getFirst().args().split("\\s+");
    return from.length == 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
  }

  String substitute(String text) {
    String out = text;
    for (Map.Entry<String, String> e : globalArgs.entrySet()) {
      out = out.replace("${" + e.getKey() + "}", e.getValue());
    }
    return out;
  }
}
