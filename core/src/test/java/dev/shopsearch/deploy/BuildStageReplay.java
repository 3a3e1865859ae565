package dev.shopsearch.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replays a Dockerfile build stage without Docker. The stage's file system is a host directory
 * ({@code rootfs}; container path {@code /src/x} is {@code rootfs/src/x}); {@code WORKDIR}, {@code
 * ENV}/{@code ARG} and {@code COPY} (from the build context, honouring {@code .dockerignore}) act
 * on it as Docker would, and {@code RUN} runs its shell command there with {@code /bin/sh -c}:
 * {@code --mount} flags dropped, absolute paths into the stage mapped into {@code rootfs}, and the
 * Maven wrapper made offline ({@code ./mvnw -o}) so it builds against the local repository. A
 * {@code RUN} ending in {@code || true} (the dependency pre-fetch) is not run: it cannot fail the
 * build, and offline it would fetch nothing.
 *
 * <p>Supports the instruction forms this project's Dockerfiles use; anything else (wildcard or JSON
 * COPY sources, JSON RUN) fails with a message naming the instruction.
 */
final class BuildStageReplay {
  /** How long one RUN may take before it counts as hung (a guard, not a speed check). */
  static final Duration RUN_LIMIT = Duration.ofMinutes(20);

  private static final Pattern MVNW = Pattern.compile("(?<=^|[\\s;&|(])\\./mvnw(?=\\s|$)");
  private static final Pattern LEADING_FLAGS = Pattern.compile("^(?:--\\S+\\s+)+");

  /** One file a COPY puts into the stage. */
  record Copied(Path source, String target) {}

  /** A finished RUN: its exit code and its output (stdout and stderr together). */
  record Run(String command, int exitCode, String output) {
    /** The last {@code n} lines of the output. */
    String tail(int n) {
      List<String> lines = output.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /**
     * The first output line saying Maven could not get a third-party artifact in offline mode, or
     * null. Lines naming {@code ownGroupId} do not count: the project's own modules come from the
     * reactor, so a miss there means the stage did not copy a module.
     */
    String offlineMiss(String ownGroupId) {
      return output
          .lines()
          .filter(l -> l.contains("offline mode") || l.contains("has not been downloaded"))
          .filter(l -> !l.contains(ownGroupId))
          .findFirst()
          .orElse(null);
    }
  }

  private final Path context;
  private final DockerIgnore ignore;
  private final Path rootfs;
  private final Map<String, String> env = new LinkedHashMap<>();
  private String workdir = "/";

  /**
   * @param context the build context (the project root)
   * @param ignore its {@code .dockerignore}
   * @param rootfs an empty host directory standing for the stage's file system
   */
  BuildStageReplay(Path context, DockerIgnore ignore, Path rootfs) {
    this.context = context;
    this.ignore = ignore;
    this.rootfs = rootfs;
  }

  /** The current {@code WORKDIR} (a container path). */
  String workdir() {
    return workdir;
  }

  /** The host path of a container path. */
  Path host(String containerPath) {
    String abs = absolute(containerPath);
    return abs.equals("/") ? rootfs : rootfs.resolve(abs.substring(1));
  }

  /** Applies one instruction of the stage (its {@code FROM} is a no-op). */
  Run apply(Dockerfile.Instruction instruction) throws IOException, InterruptedException {
    switch (instruction.keyword()) {
      case "WORKDIR" -> {
        workdir = absolute(instruction.args());
        Files.createDirectories(host(workdir));
      }
      case "ENV", "ARG" -> {
        for (String pair : instruction.args().split("\\s+")) {
          String[] kv = pair.split("=", 2);
          if (kv.length == 2) {
            env.put(kv[0], kv[1]);
          }
        }
      }
      case "COPY", "ADD" -> copy(instruction.args());
      case "RUN" -> {
        if (instruction.args().strip().endsWith("|| true")) {
          // It cannot fail the image build, and offline it fetches nothing: nothing to learn.
          return null;
        }
        return run(instruction.args());
      }
      default -> {
        // FROM, LABEL, USER, EXPOSE, ...: nothing to do for the files or the build
      }
    }
    return null;
  }

  /**
   * The files a {@code COPY} from the build context puts into the stage (none for {@code
   * --from=...}), without copying them.
   */
  List<Copied> plan(String copyArgs) throws IOException {
    if (copyArgs.startsWith("[")) {
      throw new UnsupportedOperationException("JSON-form COPY is not replayed: COPY " + copyArgs);
    }
    List<String> parts = new ArrayList<>(List.of(copyArgs.split("\\s+")));
    List<Copied> out = new ArrayList<>();
    while (parts.getFirst().startsWith("--")) {
      if (parts.removeFirst().startsWith("--from")) {
        return out;
      }
    }
    String dest = parts.removeLast();
    String destAbs = absolute(dest);
    for (String src : parts) {
      if (src.matches(".*[*?\\[].*")) {
        throw new UnsupportedOperationException(
            "COPY with wildcards is not replayed: COPY " + copyArgs);
      }
      String rel = src.replaceAll("^(\\./)+", "").replaceAll("/+$", "");
      Path from = context.resolve(rel.isEmpty() ? "." : rel).normalize();
      if (!from.startsWith(context)) {
        throw new IllegalArgumentException("COPY source " + src + " is outside the build context");
      }
      if (!rel.isEmpty() && ignore.excludes(rel)) {
        throw new IllegalArgumentException("COPY source " + src + " is excluded by .dockerignore");
      }
      if (!Files.exists(from)) {
        throw new IllegalArgumentException("COPY source " + src + " is not in the build context");
      }
      if (Files.isDirectory(from)) {
        // A directory's contents go into dest, not the directory itself.
        try (Stream<Path> walk = Files.walk(from)) {
          for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
            String inContext = context.relativize(f).toString();
            if (!ignore.excludes(inContext)) {
              out.add(new Copied(f, join(destAbs, from.relativize(f).toString())));
            }
          }
        }
      } else {
        boolean intoDir = dest.endsWith("/") || parts.size() > 1;
        out.add(new Copied(from, intoDir ? join(destAbs, from.getFileName().toString()) : destAbs));
      }
    }
    return out;
  }

  /** Copies what {@link #plan} names into the stage, keeping file modes (mvnw stays runnable). */
  void copy(String copyArgs) throws IOException {
    for (Copied c : plan(copyArgs)) {
      Path target = host(c.target());
      Files.createDirectories(target.getParent());
      Files.copy(
          c.source(),
          target,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** The shell command a {@code RUN} replays as (see the class comment). */
  String command(String runArgs) throws IOException {
    String cmd = LEADING_FLAGS.matcher(runArgs.strip()).replaceFirst("");
    if (cmd.startsWith("[")) {
      throw new UnsupportedOperationException("JSON-form RUN is not replayed: RUN " + runArgs);
    }
    try (Stream<Path> top = Files.list(rootfs)) {
      for (Path dir : top.toList()) {
        String name = dir.getFileName().toString();
        Pattern abs =
            Pattern.compile("(?<=^|[\\s=:'\"])/" + Pattern.quote(name) + "(?=/|\\s|$|['\"])");
        cmd =
            abs.matcher(cmd).replaceAll(Matcher.quoteReplacement(rootfs.resolve(name).toString()));
      }
    }
    return MVNW.matcher(cmd).replaceAll("./mvnw -o");
  }

  /**
   * Runs a {@code RUN} in the current {@code WORKDIR} with {@code /bin/sh -c}, on this JVM's JDK,
   * without the calling Maven's {@code MAVEN_*} variables (the copied {@code .mvn/} configures it).
   */
  Run run(String runArgs) throws IOException, InterruptedException {
    String cmd = command(runArgs);
    Path log = Files.createTempFile("replay-run-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder("/bin/sh", "-c", cmd)
              .directory(host(workdir).toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> e = pb.environment();
      e.keySet().removeIf(k -> k.startsWith("MAVEN_"));
      e.putAll(env);
      Path javaHome = Path.of(System.getProperty("java.home"));
      e.put("JAVA_HOME", javaHome.toString());
      e.put("PATH", javaHome.resolve("bin") + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
      e.put("OPT_OUT_TRACKING", "true");
      e.put("DJL_OFFLINE", "true");
      Process p = pb.start();
      if (!p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
        return new Run(cmd, -1, "did not finish within " + RUN_LIMIT + "\n" + read(log));
      }
      return new Run(cmd, p.exitValue(), read(log));
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static String read(Path log) throws IOException {
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
  }

  private String absolute(String path) {
    String p = path.startsWith("/") ? path : join(workdir, path);
    return Path.of(p).normalize().toString();
  }

  private static String join(String dir, String rel) {
    return Path.of(dir).resolve(rel).normalize().toString();
  }
}
