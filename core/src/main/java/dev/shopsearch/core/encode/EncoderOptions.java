package dev.shopsearch.core.encode;

/**
 * How ONNX Runtime sessions are created.
 *
 * @param provider where to run ({@link ExecutionProvider#parse} reads the configured name)
 * @param deviceId CUDA device id (ignored on CPU)
 * @param allowCpuFallback if CUDA is asked for and cannot be loaded: {@code false} fails with a
 *     clear error; {@code true} logs a warning and runs on CPU, which {@link
 *     TextEncoder#executionProvider()} then reports as {@code cpu (fallback from cuda:N)}
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 = number of cores
 */
public record EncoderOptions(
    ExecutionProvider provider, int deviceId, boolean allowCpuFallback, int intraOpThreads) {

  public EncoderOptions {
    if (provider == null) {
      throw new IllegalArgumentException("provider must not be null (cpu or cuda)");
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
    return new EncoderOptions(ExecutionProvider.CPU, 0, false, 0);
  }
}
