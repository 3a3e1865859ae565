package dev.shopsearch.core.encode;

import dev.shopsearch.core.bundle.Pooling;
import dev.shopsearch.core.testing.BaseImageEncoderTestCase;
import dev.shopsearch.core.testing.BaseTextEncoderTestCase;
import dev.shopsearch.tooling.testing.TinyClipBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * The ONNX encoders run the encoder contract on each graph layout they support: pooling in the
 * graph, EOT pooling with a projection (causal text), CLS pooling of patch states, and the CLIP
 * graphs of {@code ClipGraphWriter}. (core runs it on the committed demo bundle.)
 */
class OnnxEncoderContractTest {
  private static final EncoderOptions ONE_THREAD =
      new EncoderOptions(ExecutionProvider.CPU, 0, false, 1);

  /** Texts the hand-built graphs' word-level vocabulary knows, of different lengths. */
  private static final List<String> VOCABULARY_TEXTS =
      List.of(
          "a",
          "a much longer text about red leather handbags and shoes",
          "blue cotton shirt",
          "red shoes",
          "shoes and shirt");

  @Nested
  class PooledInGraphText extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return Encoders.text(TestBundles.pooledBundle(dir, 8), ONE_THREAD);
    }

    @Override
    protected List<String> texts() {
      return VOCABULARY_TEXTS;
    }
  }

  @Nested
  class CausalEotProjectedText extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return Encoders.text(TestBundles.causalBundle(dir), ONE_THREAD);
    }

    @Override
    protected List<String> texts() {
      return VOCABULARY_TEXTS;
    }
  }

  @Nested
  class TinyClipText extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return Encoders.text(TinyClipBundle.create(dir, 5), ONE_THREAD);
    }
  }

  @Nested
  class PooledInGraphImage extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return Encoders.image(TestBundles.pooledBundle(dir, 8), ONE_THREAD);
    }
  }

  @Nested
  class ClsPooledImage extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return Encoders.image(TestBundles.hiddenImageBundle(dir, Pooling.CLS), ONE_THREAD);
    }
  }

  @Nested
  class TinyClipImage extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return Encoders.image(TinyClipBundle.create(dir, 7), ONE_THREAD);
    }
  }
}
