package dev.shopsearch.core.encode;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions from {@link EncoderOptions}: {@code ALL_OPT} graph optimisation,
 * CPU arena allocator, {@code intraOpThreads} (0 = all cores) and, for {@code cuda}, the CUDA
 * execution provider on {@code deviceId}.
 *
 * <p>If CUDA is asked for and cannot be used (CPU-only ONNX Runtime build, missing CUDA/cuDNN
 * libraries, bad device), the session either fails with an {@link EncoderException} that says why
 * and what is available, or, with {@code allowCpuFallback}, logs a warning and runs on CPU; {@link
 * Opened#executionProvider()} then reads {@code cpu (fallback from cuda:N)}. Never silent.
 */
public final class OnnxSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxSessions.class);

  private OnnxSessions() {}

  /**
   * An open session and the execution provider it really runs on.
   *
   * @param session the session; the caller owns it and must close it
   * @param executionProvider {@code cpu}, {@code cuda:N} or {@code cpu (fallback from cuda:N)}
   */
  public record Opened(OrtSession session, ActiveProvider executionProvider) {}

  /** The process-wide ONNX Runtime environment. */
  public static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment();
  }

  /**
   * Opens a session on an ONNX file.
   *
   * @throws EncoderException if the file is missing or invalid, or CUDA is unavailable without
   *     fallback
   */
  public static Opened open(Path model, EncoderOptions options) {
    if (!Files.isRegularFile(model)) {
      throw new EncoderException("ONNX model file does not exist: " + model);
    }
    if (options.provider() == ExecutionProvider.CUDA) {
      try {
        return new Opened(create(model, options, true), ActiveProvider.cuda(options.deviceId()));
      } catch (EncoderException e) {
        if (!options.allowCpuFallback()) {
          throw e;
        }
        ActiveProvider fallback = ActiveProvider.cpuFallbackFrom(options.deviceId());
        LOG.warn(
            "{}: {}; running on CPU because allowCpuFallback is set (provider: {})",
            model.getFileName(),
            e.getMessage(),
            fallback);
        return new Opened(create(model, options, false), fallback);
      }
    }
    return new Opened(create(model, options, false), ActiveProvider.cpu());
  }

  /** The intra-op thread count a session gets for these options. */
  public static int intraOpThreads(EncoderOptions options) {
    return options.intraOpThreads() > 0
        ? options.intraOpThreads()
        : Runtime.getRuntime().availableProcessors();
  }

  private static OrtSession create(Path model, EncoderOptions options, boolean cuda) {
    OrtEnvironment env = environment();
    try (SessionOptions so = new SessionOptions()) {
      so.setOptimizationLevel(OptLevel.ALL_OPT);
      so.setIntraOpNumThreads(intraOpThreads(options));
      so.setCPUArenaAllocator(true);
      so.setMemoryPatternOptimization(true);
      if (cuda) {
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        if (!available.contains(OrtProvider.CUDA)) {
          throw new EncoderException(
              String.format(
                  Locale.ROOT,
                  "CUDA execution provider requested (cuda:%d) but this ONNX Runtime build has"
                      + " only %s; build with -Pcuda (onnxruntime_gpu, needs CUDA 12.x and cuDNN"
                      + " 9.x) or use provider cpu",
                  options.deviceId(),
                  available));
        }
        try {
          so.addCUDA(options.deviceId());
        } catch (OrtException e) {
          throw new EncoderException(
              String.format(
                  Locale.ROOT,
                  "CUDA execution provider (cuda:%d) cannot be loaded: %s (needs CUDA 12.x and"
                      + " cuDNN 9.x libraries on the library path)",
                  options.deviceId(),
                  e.getMessage()),
              e);
        }
      }
      return env.createSession(model.toString(), so);
    } catch (OrtException e) {
      throw new EncoderException(
          String.format(
              Locale.ROOT,
              "cannot open ONNX model %s%s: %s",
              model,
              cuda ? " on cuda:" + options.deviceId() : "",
              e.getMessage()),
          e);
    }
  }
}
