package dev.shopsearch.core.image;

import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.util.HexFormat;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libwebp, Google's reference WebP codec, as the WebP reader: the decoder behind {@code dwebp},
 * Pillow and browsers, so lossy WebP (VP8 reconstruction, fancy chroma upsampling, YUV to RGB)
 * decodes to the same pixels the models were trained on. It comes from {@code
 * com.github.usefulness:webp-imageio} (JNI; libwebp 1.5.0 statically linked, natives for Linux,
 * macOS and Windows inside the jar, extracted to {@code java.io.tmpdir} or {@code
 * -Dcom.luciad.imageio.webp.tmpdir} on first use).
 *
 * <p>Probed once per JVM by decoding a built-in 2x2 lossy WebP, whose libwebp output is known to
 * the bit. When the native library cannot load (an unsupported platform, a {@code noexec} temp
 * directory) or the probe decodes other pixels, {@link #spi()} is null, {@link #problem()} says
 * why, and {@link ImageDecoder} falls back to TwelveMonkeys' pure-Java reader with one warning.
 */
final class LibWebp {
  private static final Logger LOG = LoggerFactory.getLogger(LibWebp.class);

  /**
   * {@code cwebp -q 90} of a 2x2 image of (200, 100, 50); libwebp decodes every pixel to C96432.
   */
  private static final byte[] PROBE =
      HexFormat.of()
          .parseHex(
              "524946463e000000574542505650382032000000d001009d012a0200020000c01225a00274ba01f8"
                  + "0003b000feda26ffeef37ed3d7b4f5fd4cfff8ca9f203fe32a7fc5cc0000");

  private static final int PROBE_PIXEL = 0xC96432;

  private static final LibWebp INSTANCE = probe();

  private final ImageReaderSpi spi;
  private final String problem;

  private LibWebp(ImageReaderSpi spi, String problem) {
    this.spi = spi;
    this.problem = problem;
  }

  /** The probed libwebp of this JVM. */
  static LibWebp get() {
    return INSTANCE;
  }

  /** libwebp's ImageIO reader provider, or null when libwebp is unusable here. */
  ImageReaderSpi spi() {
    return spi;
  }

  /** Why libwebp is unusable here, or null when it works. */
  String problem() {
    return problem;
  }

  private static LibWebp probe() {
    return probe(new WebPImageReaderSpi());
  }

  /** Probes {@code spi} with the built-in image; package-private for tests. */
  static LibWebp probe(ImageReaderSpi spi) {
    try {
      int pixel = decodeProbe(spi);
      if (pixel != PROBE_PIXEL) {
        return unusable(
            String.format(
                Locale.ROOT,
                "its probe image decoded to %06X instead of libwebp's %06X",
                pixel,
                PROBE_PIXEL));
      }
      return new LibWebp(spi, null);
    } catch (Exception | LinkageError e) {
      return unusable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private static int decodeProbe(ImageReaderSpi spi) throws java.io.IOException {
    ImageReader reader = spi.createReaderInstance();
    try (ImageInputStream in = new ByteArrayImageInputStream(PROBE)) {
      reader.setInput(in, true, true);
      BufferedImage img = reader.read(0, reader.getDefaultReadParam());
      return img.getRGB(1, 1) & 0xFFFFFF;
    } finally {
      reader.dispose();
    }
  }

  private static LibWebp unusable(String why) {
    String problem =
        "libwebp (webp-imageio) is unusable on "
            + System.getProperty("os.name")
            + "/"
            + System.getProperty("os.arch")
            + ": "
            + why;
    LOG.warn(
        "{}; WebP falls back to TwelveMonkeys' pure-Java decoder, whose lossy WebP pixels differ"
            + " from libwebp/Pillow by up to ~100 levels (embeddings drift from training). Fix: a"
            + " supported platform and a java.io.tmpdir (or -Dcom.luciad.imageio.webp.tmpdir)"
            + " that allows executing the extracted library.",
        problem);
    return new LibWebp(null, problem);
  }
}
