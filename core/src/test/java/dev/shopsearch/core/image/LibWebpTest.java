package dev.shopsearch.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class LibWebpTest {

  /** On the platforms the project runs on, WebP must never silently fall back to TwelveMonkeys. */
  @Test
  void libwebpDecodesWebpOnLinuxX64AndArm64() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    assumeTrue(
        os.contains("linux") && Set.of("amd64", "x86_64", "aarch64").contains(arch),
        "skipping: webp-imageio's natives are checked here on Linux x86_64/aarch64 only");
    LibWebp libwebp = LibWebp.get();
    assertThat(libwebp.problem()).isNull();
    assertThat(libwebp.spi().getClass().getName())
        .isEqualTo("com.luciad.imageio.webp.WebPImageReaderSpi");
  }

  @Test
  void aNativeLibraryThatCannotLoadIsReportedNotThrown() {
    LibWebp probed = LibWebp.probe(new FailingSpi());
    assertThat(probed.spi()).isNull();
    assertThat(probed.problem())
        .contains("unusable on " + System.getProperty("os.name"))
        .contains("UnsatisfiedLinkError")
        .contains("no webp-imageio in java.library.path");
  }

  /** TwelveMonkeys' pure-Java VP8 decoder rounds the probe's red one level off libwebp. */
  @Test
  void aDecoderWithOtherPixelsThanLibwebpIsRefused() {
    LibWebp probed = LibWebp.probe(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi());
    assertThat(probed.spi()).isNull();
    assertThat(probed.problem()).contains("decoded to CA6432 instead of libwebp's C96432");
  }

  /** A provider whose native library is missing, as webp-imageio's is on an unsupported OS. */
  private static final class FailingSpi extends ImageReaderSpi {
    FailingSpi() {
      super(
          "test",
          "1",
          new String[] {"webp"},
          new String[] {"webp"},
          new String[] {"image/webp"},
          "none",
          new Class<?>[] {ImageInputStream.class},
          null,
          false,
          null,
          null,
          null,
          null,
          false,
          null,
          null,
          null,
          null);
    }

    @Override
    public boolean canDecodeInput(Object source) {
      return true;
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
      throw new UnsatisfiedLinkError("no webp-imageio in java.library.path");
    }

    @Override
    public String getDescription(Locale locale) {
      return "a WebP reader without its native library";
    }
  }
}
