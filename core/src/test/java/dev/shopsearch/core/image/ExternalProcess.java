package dev.shopsearch.core.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external reference tools the image tests compare against (PIL, cwebp, dwebp). */
final class ExternalProcess {
  /** Generous: a guard against a hung tool, not a speed requirement. */
  private static final long LIMIT_SECONDS = 300;

  private ExternalProcess() {}

  /**
   * Runs {@code command} with {@code stdin} as its input and returns its exit status; prints its
   * output when the status is not 0.
   */
  static int run(List<String> command, String stdin) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("still running after " + LIMIT_SECONDS + " s: " + command);
    }
    if (process.exitValue() != 0) {
      System.out.println(
          String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
    }
    return process.exitValue();
  }

  /** Runs {@code command} without input, failing the test when it exits non-zero. */
  static void runOk(List<String> command) {
    try {
      int status = run(command, "");
      if (status != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + status);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", command), e);
    }
  }
}
