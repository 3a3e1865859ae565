package dev.shopsearch.indexer.testing;

import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.testing.BaseImageEncoderTestCase;
import dev.shopsearch.core.testing.BaseTextEncoderTestCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The indexer tests' fake encoders honour the encoder contract like the real ones. */
class FakeEncodersContractTest {

  @Nested
  class Counting extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return new CountingEncoder(16);
    }
  }

  @Nested
  class Constant extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return new ConstantTextEncoder(4);
    }
  }
}
