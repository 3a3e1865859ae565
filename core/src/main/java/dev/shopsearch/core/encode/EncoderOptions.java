package dev.shopsearch.core.encode;

/**
 * How ONNX Runtime sessions are created.
 *
 * @param provider {@code cpu} (default) or {@code cuda}
 * @param deviceId CUDA device id (ignored on CPU)
 * @param allowCpuFallback if CUDA is asked for and cannot be loaded: {@code false} fails with a
 *     clear error; {@code true} logs a warning and runs on CPU, which {@link
 *     TextEncoder#executionProvider()} then reports as {@code cpu (fallback from cuda:N)}
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 = number of cores
 */
public record EncoderOptions(
    String provider, int deviceId, boolean allowCpuFallback, int intraOpThreads) {

  public EncoderOptions {
    provider =
        provider == null || provider.isBlank()
            ? "cpu"
            : provider.trim().toLowerCase(java.util.Locale.ROOT);
    if (!provider.equals("cpu") && !provider.equals("cuda")) {
      throw new IllegalArgumentException("provider must be 'cpu' or 'cuda'; provider=" + provider);
    }
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId must be >= 0; deviceId=" + deviceId);
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "intraOpThreads must be >= 0; intraOpThreads=" + intraOpThreads);
    }
  }

  /** CPU with as many intra-op threads as cores. */
  public static EncoderOptions cpu() {
    return new EncoderOptions("cpu", 0, false, 0);
  }
}
