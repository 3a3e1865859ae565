package dev.shopsearch.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes encoded images (JPEG incl. CMYK/YCCK and grayscale, PNG incl. alpha, palette and 16-bit,
 * GIF (first frame), BMP, WebP lossy/lossless/alpha/animated (first frame)) into opaque sRGB {@link
 * BufferedImage#TYPE_INT_RGB} images. The rules, and every difference from Pillow, are in
 * docs/images.md.
 *
 * <p>Order of checks, cheapest first: input size against {@link DecodeLimits#maxBytes()}; magic
 * number ({@link ImageFormat#detect}); header dimensions against {@link DecodeLimits#maxPixels()},
 * read with {@link ImageReader#getWidth}/{@link ImageReader#getHeight} before any pixel is
 * allocated; container completeness (JPEG EOI after the scans, PNG IEND, GIF first-frame blocks,
 * every WebP RIFF chunk, BMP rows); then the decode. Then alpha is composited on white, a JPEG or
 * WebP ICC profile is converted to sRGB, and the EXIF orientation (1..8), found by one rule in
 * every format that carries EXIF (JPEG APP1, PNG {@code eXIf}, WebP {@code EXIF}; see {@link
 * ExifBlock}), is applied.
 *
 * <p>Readers: WebP is decoded by libwebp itself ({@link LibWebp}), so lossy WebP gives exactly the
 * pixels of {@code dwebp} and Pillow; JPEG by TwelveMonkeys; PNG, GIF and BMP by the JDK.
 *
 * <p>Differences from Hugging Face's PIL loading ({@code Image.open(...).convert("RGB")}), all
 * deliberate: alpha is composited on white (PIL drops it, so transparent pixels show whatever
 * colour they hide, often black); JPEG and WebP ICC profiles are converted to sRGB (PIL ignores
 * them); EXIF orientation is applied (as HF's {@code load_image} does with {@code exif_transpose});
 * a GIF frame smaller than its logical screen is returned at the frame's size; 16-bit grayscale PNG
 * is scaled to 8 bits (PIL clips it, so it turns near-white). For plain sRGB JPEGs the pixels equal
 * PIL's within libjpeg's IDCT rounding (see {@code PilParityTest}), for WebP exactly.
 *
 * <p>Thread-safe: each call uses its own {@link ImageReader}; the instance only holds the limits
 * and the chosen reader providers.
 */
public final class ImageDecoder {
  /**
   * Revision of the pixels this decoder produces; raised whenever a change alters the decoded
   * pixels of some input, so that anything cached from decoded images (embeddings keyed by image
   * bytes) can include it in its key and not mix revisions. 1: TwelveMonkeys WebP, EXIF orientation
   * from JPEG only. 2: WebP by libwebp (exact), EXIF orientation from PNG {@code eXIf} and WebP
   * {@code EXIF} too, animated WebP first frame as Pillow composes it.
   */
  public static final int PIXEL_REVISION = 2;

  private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

  static {
    // Registers the TwelveMonkeys readers also when ImageIO first ran under another class loader.
    ImageIO.scanForPlugins();
  }

  private final DecodeLimits limits;
  private final Map<ImageFormat, ImageReaderSpi> providers = new EnumMap<>(ImageFormat.class);

  /** A decoder with {@link DecodeLimits#DEFAULT}. */
  public ImageDecoder() {
    this(DecodeLimits.DEFAULT);
  }

  public ImageDecoder(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    for (ImageFormat format : ImageFormat.values()) {
      ImageReaderSpi spi = pickProvider(format);
      if (spi != null) {
        providers.put(format, spi);
      }
    }
  }

  /** The limits this decoder enforces. */
  public DecodeLimits limits() {
    return limits;
  }

  /** Reads and decodes a file, refusing it by size before reading it. */
  public BufferedImage decode(Path file) throws IOException {
    long size = Files.size(file);
    checkBytes(size, file.toString());
    return decode(Files.readAllBytes(file));
  }

  /**
   * Reads at most {@code maxBytes + 1} bytes from {@code in} (not closed) and decodes them.
   *
   * @throws ImageDecodeException {@code TOO_LARGE} as soon as the stream exceeds the limit
   */
  public BufferedImage decode(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(limits.maxBytes() + 1, Integer.MAX_VALUE - 16));
    checkBytes(bytes.length, "stream");
    return decode(bytes);
  }

  /**
   * Decodes one image.
   *
   * @return a new {@code TYPE_INT_RGB} image (sRGB, opaque, upright)
   * @throws ImageDecodeException with the reason and a message naming the problem and the limit
   */
  public BufferedImage decode(byte[] bytes) {
    return decode(bytes, () -> false);
  }

  /**
   * Decodes one image unless {@code abandon} says the result is no longer wanted (a deadline
   * passed, the request was cancelled): the signal is checked before the pixels are read, polled
   * while the reader decodes (aborting the read, see {@link ReadAbort}) and checked again before
   * the colour conversion. It must be cheap and thread-safe.
   *
   * @return a new {@code TYPE_INT_RGB} image (sRGB, opaque, upright)
   * @throws ImageDecodeException with the reason and a message naming the problem and the limit
   * @throws CancellationException when abandoned
   */
  public BufferedImage decode(byte[] bytes, BooleanSupplier abandon) {
    Objects.requireNonNull(abandon, "abandon");
    if (bytes != null) {
      checkBytes(bytes.length, "input");
    }
    ImageFormat format = ImageFormat.detect(bytes);
    ImageReaderSpi spi = providers.get(format);
    if (spi == null) {
      throw new ImageDecodeException(
          Reason.UNSUPPORTED, "no ImageIO reader for " + format + " is on the classpath");
    }
    ImageReader reader;
    try {
      reader = spi.createReaderInstance();
    } catch (IOException e) {
      throw new ImageDecodeException(
          Reason.UNSUPPORTED, "cannot create a " + format + " reader", e);
    }
    List<String> warnings = new ArrayList<>();
    ReadAbort abort = new ReadAbort(abandon);
    int width = -1;
    int height = -1;
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        long[] bmp = format == ImageFormat.BMP ? ContainerCheck.bmpDimensions(bytes) : null;
        if (bmp != null && bmp[0] <= Integer.MAX_VALUE && bmp[1] <= Integer.MAX_VALUE) {
          checkPixels(format, (int) bmp[0], (int) bmp[1]);
        }
        ContainerCheck.check(format, bytes); // a structural error explains more than the reader's
        throw e;
      }
      checkPixels(format, width, height);
      ContainerCheck.Found found = ContainerCheck.check(format, bytes);
      abort.throwIfAbandoned(format, width, height);
      reader.addIIOReadProgressListener(abort);
      BufferedImage decoded =
          found.webpFirstFrame() == null
              ? reader.read(0, reader.getDefaultReadParam())
              : found.webpFirstFrame().render(spi, width, height);
      abort.throwIfAbandoned(format, width, height);
      if (spi == LibWebp.get().spi()) { // TwelveMonkeys applies the profile itself
        decoded = WebpIccProfile.tag(decoded, found.webpIcc());
      }
      checkWarnings(format, warnings);
      BufferedImage rgb = RgbConverter.toIntRgb(decoded);
      return ExifOrientation.apply(rgb, found.exif().orientation(bytes));
    } catch (ImageDecodeException | CancellationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      abort.throwIfAbandoned(format, width, height); // a reader may fail instead of returning
      throw classify(format, e);
    } catch (OutOfMemoryError e) {
      throw new ImageDecodeException(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "out of memory decoding a %dx%d %s; lower DecodeLimits.maxPixels (now %d) or raise"
                  + " the heap",
              width,
              height,
              format,
              limits.maxPixels()));
    } finally {
      reader.dispose();
    }
  }

  private void checkBytes(long size, String what) {
    if (size > limits.maxBytes()) {
      throw new ImageDecodeException(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "%s is too large: %d bytes, above the limit of %d bytes (DecodeLimits.maxBytes)",
              what,
              size,
              limits.maxBytes()));
    }
  }

  private void checkPixels(ImageFormat format, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(
          Reason.CORRUPT,
          String.format(
              Locale.ROOT, "corrupt %s: header says %dx%d pixels", format, width, height));
    }
    long pixels = (long) width * height;
    if (pixels > limits.maxPixels()) {
      throw new ImageDecodeException(
          Reason.TOO_LARGE,
          String.format(
              Locale.ROOT,
              "%s is too large: %dx%d = %d pixels, above the limit of %d pixels"
                  + " (DecodeLimits.maxPixels)",
              format,
              width,
              height,
              pixels,
              limits.maxPixels()));
    }
  }

  private static void checkWarnings(ImageFormat format, List<String> warnings) {
    for (String warning : warnings) {
      String lower = warning.toLowerCase(Locale.ROOT);
      if (lower.contains("premature end") || lower.contains("unexpected end")) {
        throw new ImageDecodeException(
            Reason.TRUNCATED, "truncated " + format + ": the reader reported '" + warning + "'");
      }
      LOG.debug("{} reader warning (image kept): {}", format, warning);
    }
  }

  private static ImageDecodeException classify(ImageFormat format, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (t instanceof EOFException
          || m.contains("premature end")
          || m.contains("unexpected end")) {
        return new ImageDecodeException(
            Reason.TRUNCATED, "truncated " + format + ": " + message, e);
      }
      // libwebp's status codes come as "Decode returned code UnsupportedFeature" and the like.
      if ((t instanceof IIOException && m.contains("unsupported"))
          || m.contains("code unsupportedfeature")) {
        return new ImageDecodeException(
            Reason.UNSUPPORTED, "unsupported " + format + " variant: " + message, e);
      }
    }
    return new ImageDecodeException(Reason.CORRUPT, "corrupt " + format + ": " + message, e);
  }

  /**
   * libwebp for WebP ({@link LibWebp}; TwelveMonkeys when libwebp is unusable here), TwelveMonkeys
   * for JPEG (CMYK/YCCK, ICC) and the JDK's readers otherwise.
   */
  private static ImageReaderSpi pickProvider(ImageFormat format) {
    if (format == ImageFormat.WEBP && LibWebp.get().spi() != null) {
      return LibWebp.get().spi();
    }
    ImageReaderSpi first = null;
    ImageReaderSpi preferred = null;
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    while (readers.hasNext()) {
      ImageReader reader = readers.next();
      ImageReaderSpi spi = reader.getOriginatingProvider();
      reader.dispose();
      if (spi == null) {
        continue;
      }
      if (first == null) {
        first = spi;
      }
      boolean twelveMonkeys = spi.getClass().getName().startsWith("com.twelvemonkeys.");
      boolean wantTwelveMonkeys = format == ImageFormat.JPEG || format == ImageFormat.WEBP;
      if (preferred == null && wantTwelveMonkeys == twelveMonkeys) {
        preferred = spi;
      }
    }
    return preferred != null ? preferred : first;
  }
}
