package dev.shopsearch.service.model;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.encode.EncoderOptions;
import dev.shopsearch.core.encode.Encoders;
import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;

/** Loads a bundle directory with {@link ModelBundle} and creates its ONNX encoders. */
public final class BundleModelLoader implements ModelLoader {

  @Override
  public LoadedModel load(ModelProperties config) {
    if (config.bundleDir() == null) {
      throw new IllegalArgumentException("shopsearch.model.bundle-dir must be set");
    }
    ModelBundle bundle = ModelBundle.load(config.bundleDir());
    EncoderOptions options =
        new EncoderOptions(
            config.provider(),
            config.deviceId(),
            config.allowCpuFallback(),
            config.intraOpThreads());
    TextEncoder text = Encoders.text(bundle, options);
    try {
      ImageEncoder image = Encoders.image(bundle, options);
      return new LoadedModel(bundle.manifest(), text, image);
    } catch (RuntimeException e) {
      text.close();
      throw e;
    }
  }
}
