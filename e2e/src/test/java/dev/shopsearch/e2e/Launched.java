package dev.shopsearch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the project's packaged programs as separate processes, the way a user would. */
final class Launched {
  private Launched() {}

  /** The project root (the e2e module's parent). */
  static Path projectRoot() {
    return Path.of("").toAbsolutePath().getParent();
  }

  /** The java binary of this JVM, so children run on the same JDK. */
  static String javaBinary() {
    return ProcessHandle.current().info().command().orElse("java");
  }

  /** The result of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {
    String lastLine() {
      String[] lines = stdout.strip().split("\n");
      return lines[lines.length - 1].strip();
    }
  }

  /**
   * Runs {@code command} in the project root with DJL kept offline, waits at most {@code timeout}
   * and fails the test (with the command's stderr tail) unless it exits 0.
   */
  static Result run(Path logDir, String name, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path out = logDir.resolve(name + ".out");
    Path err = logDir.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(projectRoot().toFile());
    environment(pb);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(name + " did not finish within " + timeout + "\n" + tail(err));
    }
    Result r =
        new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    assertThat(r.exitCode()).as("%s exit code; stderr tail:%n%s", name, tail(err)).isZero();
    return r;
  }

  /** Starts a long-running process with its output in {@code logDir/name.log}. */
  static Process start(Path logDir, String name, List<String> command) throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder pb =
        new ProcessBuilder(new ArrayList<>(command)).directory(projectRoot().toFile());
    environment(pb);
    pb.redirectErrorStream(true).redirectOutput(logDir.resolve(name + ".log").toFile());
    return pb.start();
  }

  static void environment(ProcessBuilder pb) {
    pb.environment().put("OPT_OUT_TRACKING", "true");
    pb.environment().put("DJL_OFFLINE", "true");
    Path javaHome = Path.of(javaBinary()).getParent().getParent();
    pb.environment().put("JAVA_HOME", javaHome.toString());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String tail(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
