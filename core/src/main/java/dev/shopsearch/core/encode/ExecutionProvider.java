package dev.shopsearch.core.encode;

import java.util.Arrays;
import java.util.Locale;

/** The ONNX Runtime execution provider a tower is asked to run on. */
public enum ExecutionProvider {
  /** ONNX Runtime's default CPU provider. */
  CPU,
  /** The CUDA provider (needs the onnxruntime_gpu build, {@code -Pcuda}, and CUDA/cuDNN). */
  CUDA;

  /** The name used in configuration, CLI options and reports: {@code cpu}, {@code cuda}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a configured provider: {@code cpu} or {@code cuda}, any case, surrounding blanks
   * ignored; null or blank means {@link #CPU}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static ExecutionProvider parse(String value) {
    if (value == null || value.isBlank()) {
      return CPU;
    }
    String id = value.trim().toLowerCase(Locale.ROOT);
    for (ExecutionProvider p : values()) {
      if (p.id().equals(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "execution provider must be one of "
            + Arrays.stream(values()).map(ExecutionProvider::id).toList()
            + "; provider="
            + value);
  }
}
