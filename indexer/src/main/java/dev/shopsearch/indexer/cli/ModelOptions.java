package dev.shopsearch.indexer.cli;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.ExecutionProvider;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options choosing the model bundle and how ONNX Runtime runs it. */
final class ModelOptions {
  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "DIR",
      description = "Model bundle directory (model.json, text.onnx, image.onnx, tokenizer.json).")
  Path bundle;

  @Option(
      names = "--provider",
      defaultValue = "cpu",
      description = "Execution provider: cpu or cuda (default: ${DEFAULT-VALUE}).")
  String provider;

  @Option(names = "--device", defaultValue = "0", description = "CUDA device id.")
  int device;

  @Option(
      names = "--cpu-fallback",
      description = "Run on CPU (with a warning) when CUDA cannot be loaded, instead of failing.")
  boolean cpuFallback;

  @Option(
      names = "--intra-op-threads",
      defaultValue = "0",
      description = "ONNX Runtime intra-op threads; 0 = all cores.")
  int intraOpThreads;

  ModelBundle load() {
    return ModelBundle.load(bundle);
  }

  EncoderOptions encoderOptions() {
    return new EncoderOptions(
        ExecutionProvider.parse(provider), device, cpuFallback, intraOpThreads);
  }
}
