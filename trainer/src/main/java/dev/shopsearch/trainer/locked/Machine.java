package dev.shopsearch.trainer.locked;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Facts about the machine and this process for benchmark reports (Linux /proc where present). */
final class Machine {

  private Machine() {}

  /** Cores, CPU model, OS and JVM. */
  static Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("cpu", procField(Path.of("/proc/cpuinfo"), "model name"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
    return m;
  }

  /** Peak resident set size of this process in MiB ({@code VmHWM}), or -1 when unknown. */
  static long peakRssMb() {
    String kb = procField(Path.of("/proc/self/status"), "VmHWM");
    if (kb == null) {
      return -1;
    }
    try {
      return Long.parseLong(kb.replace("kB", "").strip()) >> 10;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The value after the colon of the first line starting with {@code key}, or {@code null}. */
  static String procField(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(key)) {
          int colon = line.indexOf(':');
          return colon < 0 ? null : line.substring(colon + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
