package dev.shopsearch.core.encode;

import dev.shopsearch.core.bundle.ModelBundle;

/**
 * Creates the encoders for a {@link ModelBundle}. Both validate their ONNX graph against the
 * manifest when they load (inputs, types, ranks, output width = {@code dim} or the projection's
 * rows) and fail with an {@link EncoderException} listing what the graph actually has.
 */
public final class Encoders {
  private Encoders() {}

  /** The bundle's text encoder (tower + tokenizer). The caller closes it. */
  public static TextEncoder text(ModelBundle bundle, EncoderOptions options) {
    return OnnxTextEncoder.load(bundle, options);
  }

  /** The bundle's image encoder. The caller closes it. */
  public static ImageEncoder image(ModelBundle bundle, EncoderOptions options) {
    return OnnxImageEncoder.load(bundle, options);
  }
}
