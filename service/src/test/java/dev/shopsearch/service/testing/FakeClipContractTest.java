package dev.shopsearch.service.testing;

import dev.shopsearch.core.encode.ImageEncoder;
import dev.shopsearch.core.encode.TextEncoder;
import dev.shopsearch.core.testing.BaseImageEncoderTestCase;
import dev.shopsearch.core.testing.BaseTextEncoderTestCase;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The service tests' fake CLIP towers honour the encoder contract like the real ones. */
class FakeClipContractTest {

  @Nested
  class Text extends BaseTextEncoderTestCase {
    @Override
    protected TextEncoder newEncoder(Path dir) {
      return new FakeClip.Text();
    }
  }

  @Nested
  class Image extends BaseImageEncoderTestCase {
    @Override
    protected ImageEncoder newEncoder(Path dir) {
      return new FakeClip.Image();
    }
  }
}
