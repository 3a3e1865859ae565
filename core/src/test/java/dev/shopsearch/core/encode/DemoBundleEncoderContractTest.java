package dev.shopsearch.core.encode;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopsearch.core.bundle.ModelBundle;
import dev.shopsearch.core.testing.BaseImageEncoderTestCase;
import dev.shopsearch.core.testing.BaseTextEncoderTestCase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/**
 * The ONNX encoders run the encoder contract on the committed demo bundle ({@code models/demo}: a
 * trained CLIP-style model, 64 px images, 128-d). The hand-built graphs with other pooling and
 * projection layouts run it in the tooling module, which owns the graph builder.
 */
class DemoBundleEncoderContractTest {
  private static final EncoderOptions ONE_THREAD =
      new EncoderOptions(ExecutionProvider.CPU, 0, false, 1);

  /** {@code models/demo} above the working directory; skips the tests when it is absent. */
  static ModelBundle demoBundle() {
    Path dir = Path.of("").toAbsolutePath();
    for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
      Path bundle = dir.resolve("models/demo");
      if (Files.isRegularFile(bundle.resolve("model.json"))) {
        return ModelBundle.load(bundle);
      }
    }
    assumeTrue(
        false, "skipping: the committed demo bundle models/demo is not above " + Path.of(""));
    throw new AssertionError("unreachable");
  }

  @Nested
  class Text extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return Encoders.text(demoBundle(), ONE_THREAD);
    }
  }

  @Nested
  class Image extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return Encoders.image(demoBundle(), ONE_THREAD);
    }
  }
}
