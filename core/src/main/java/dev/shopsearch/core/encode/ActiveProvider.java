package dev.shopsearch.core.encode;

import java.util.Locale;

/**
 * The execution provider a tower really runs on, as an encoder reports it. {@link #toString()} is
 * the reported form: {@code cpu}, {@code cuda:N}, or {@code cpu (fallback from cuda:N)} when CUDA
 * was asked for, could not be loaded and {@link EncoderOptions#allowCpuFallback()} let it run on
 * CPU.
 *
 * @param provider what the session runs on
 * @param deviceId the CUDA device used, or the one a fallback came from; 0 on plain CPU
 * @param cpuFallback whether this is CPU standing in for a CUDA device that failed
 */
public record ActiveProvider(ExecutionProvider provider, int deviceId, boolean cpuFallback) {

  public ActiveProvider {
    if (provider == null) {
      throw new IllegalArgumentException("provider must not be null");
    }
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId must be >= 0; deviceId=" + deviceId);
    }
    if (cpuFallback && provider != ExecutionProvider.CPU) {
      throw new IllegalArgumentException("only CPU can be a fallback; provider=" + provider);
    }
  }

  /** Plain CPU. */
  public static ActiveProvider cpu() {
    return new ActiveProvider(ExecutionProvider.CPU, 0, false);
  }

  /** CUDA device {@code deviceId}. */
  public static ActiveProvider cuda(int deviceId) {
    return new ActiveProvider(ExecutionProvider.CUDA, deviceId, false);
  }

  /** CPU because CUDA device {@code deviceId} could not be used. */
  public static ActiveProvider cpuFallbackFrom(int deviceId) {
    return new ActiveProvider(ExecutionProvider.CPU, deviceId, true);
  }

  /** Whether the tower runs on a GPU (where batching concurrent requests pays off). */
  public boolean onGpu() {
    return provider == ExecutionProvider.CUDA;
  }

  @Override
  public String toString() {
    String cuda = String.format(Locale.ROOT, "cuda:%d", deviceId);
    return switch (provider) {
      case CUDA -> cuda;
      case CPU -> cpuFallback ? "cpu (fallback from " + cuda + ")" : "cpu";
    };
  }
}
