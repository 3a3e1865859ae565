package dev.shopsearch.service.model;

/** Loads the configured model bundle and creates its encoders. */
@FunctionalInterface
public interface ModelLoader {

  /**
   * Loads the bundle named by {@code config.bundleDir()}.
   *
   * @throws IllegalArgumentException if the configuration names no bundle or a broken one
   * @throws dev.shopsearch.core.encode.EncoderException if the ONNX sessions cannot be created
   */
  LoadedModel load(ModelProperties config);
}
