package dev.shopsearch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of a process, from Linux's {@code /proc/<pid>/status}. */
final class ProcessMemory {
  private ProcessMemory() {}

  /**
   * {@code VmRSS} of {@code pid} in bytes.
   *
   * @throws IOException when the process is gone or the file has no {@code VmRSS} line (not Linux)
   */
  static long rssBytes(long pid) throws IOException {
    return rssBytes(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")), pid);
  }

  /** {@code VmRSS} from the lines of a {@code status} file, in bytes. */
  static long rssBytes(Iterable<String> statusLines, long pid) throws IOException {
    for (String line : statusLines) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        if (parts.length != 2 || !parts[1].equals("kB")) {
          throw new IOException("unexpected VmRSS line of process " + pid + ": " + line);
        }
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IOException("no VmRSS line in /proc/" + pid + "/status");
  }
}
