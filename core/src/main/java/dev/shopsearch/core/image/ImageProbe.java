package dev.shopsearch.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.shopsearch.core.image.ImageDecodeException.Reason;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads an encoded image's format and dimensions from its header without decoding a pixel: the
 * magic number ({@link ImageFormat#detect}), then {@link ImageReader#getWidth}/{@link
 * ImageReader#getHeight}, which read only as far as the header (PNG IHDR, JPEG SOF, GIF logical
 * screen, BMP info header, WebP VP8/VP8L/VP8X chunk). Cheap enough to run on a request thread
 * before any decoding work is queued, so that a limit on pixels or shape can refuse an image before
 * it costs CPU or memory. Stateless and thread-safe.
 */
public final class ImageProbe {
  private ImageProbe() {}

  /**
   * Format and size as the header declares them (before any EXIF rotation, which keeps the pixel
   * count and the aspect ratio).
   */
  public record Header(ImageFormat format, int width, int height) {
    /** {@code width * height}. */
    public long pixels() {
      return (long) width * height;
    }
  }

  /**
   * The header of an encoded image.
   *
   * @return the header, or null when no reader for the detected format is on the classpath (the
   *     decoder refuses such input with its own message)
   * @throws ImageDecodeException {@code NOT_AN_IMAGE} or {@code UNSUPPORTED} as {@link
   *     ImageFormat#detect}; {@code CORRUPT} when the header cannot be read or declares no pixels
   */
  public static Header probe(byte[] bytes) {
    ImageFormat format = ImageFormat.detect(bytes);
    Iterator<ImageReader> readers =
        javax.imageio.ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      return null;
    }
    ImageReader reader = readers.next();
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        throw new ImageDecodeException(
            Reason.CORRUPT,
            String.format(
                Locale.ROOT, "corrupt %s: header says %dx%d pixels", format, width, height));
      }
      return new Header(format, width, height);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageDecodeException ide) {
        throw ide;
      }
      throw new ImageDecodeException(
          Reason.CORRUPT,
          String.format(
              Locale.ROOT, "corrupt %s: cannot read the header's size (%s)", format, message(e)),
          e);
    } finally {
      reader.dispose();
    }
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
